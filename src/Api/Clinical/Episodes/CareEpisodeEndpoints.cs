using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Clinical.Episodes;

// A care episode's pathway (ADR 0012): a referral received, assessed, treatment started, discharged; one endpoint an
// action over the shared write path, as the domain's CareEpisode holds the rules.

/// <summary>
/// A referral opens a care episode: a patient refers themself; the clinic records referrals from GPs and NHS services
/// (which will also arrive as FHIR ServiceRequests, issue 6).
/// </summary>
public static class ReceiveReferralEndpoint
{
    public static ProblemDetails Validate(ReceiveReferralRequest command, Guid patientId, ClaimsPrincipal user)
    {
        var actor = Actor.From(user);
        if (actor.Is(ClinicRoles.Patient) && (actor.UserId != patientId || command.Source != ReferralSource.SelfReferral))
        {
            return actor.UserId != patientId ? Problems.NotFound("patient") : Problems.Forbidden("A patient refers themself; other referrals come from the clinic.");
        }

        return Problems.Validate(command, Validator.Instance);
    }

    [WolverinePost("/api/patients/{patientId}/referrals"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Admin}")]
    [ProducesResponseType<OpenedEpisode>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(ReceiveReferralRequest command, Guid patientId, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        if (!await PatientStreams.IsPatientAsync(session, patientId, cancellation))
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        var episodeId = Guid.CreateVersion7();
        var written = session.Start<CareEpisode>(episodeId, ReceiveReferral.Decide(episodeId, patientId, command, time.GetUtcNow()));
        return written.Events is [ReferralReceived received, ..]
            ? written.Created($"/api/episodes/{episodeId}", new OpenedEpisode(episodeId, received.PathwayId, written.Version))
            : written.Ok();
    }

    public sealed class Validator : AbstractValidator<ReceiveReferralRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.Source).IsInEnum();
            RuleFor(x => x.PresentingProblem).NotEmpty().MaximumLength(2_000);
            RuleFor(x => x.ReferrerOdsCode).Matches("^[A-Za-z0-9]{3,10}$").When(x => x.ReferrerOdsCode is not null);
        }
    }
}

public sealed record OpenedEpisode(Guid EpisodeId, string PathwayId, long Version);

/// <summary>The request body of <see cref="ReceiveReferral"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record ReceiveReferralRequest(ReferralSource Source, string PresentingProblem, string? ReferrerOdsCode = null)
{
    public static implicit operator ReceiveReferral(ReceiveReferralRequest request) =>
        new(request.Source, request.PresentingProblem, request.ReferrerOdsCode);
}

/// <summary>A therapist assesses a referral (a therapist; one found unsuitable is discharged at once).</summary>
public static class AssessEpisodeEndpoint
{
    public static ProblemDetails Validate(AssessEpisodeRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/episodes/{careEpisodeId}/assessment"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        AssessEpisodeRequest command, Guid careEpisodeId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var therapistId = Actor.From(user).UserId!.Value;
        return (await session.ChangeAsync<CareEpisode>(careEpisodeId, "care episode", command.ExpectedVersion,
            e => AssessEpisode.Decide(e, therapistId, command, time.GetUtcNow()), cancellation,
            // The assessor sees the patient at an assessment appointment; nobody joins a care team by claiming a referral.
            guardAsync: async e => await PatientAccess.SharesAppointmentAsync(session, therapistId, e.PatientId, cancellation)
                ? null
                : Problems.Forbidden("Book the patient's assessment with you first; the assessor is the therapist who sees them."))).Ok();
    }

    public sealed class Validator : AbstractValidator<AssessEpisodeRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.ExpectedVersion).GreaterThan(0);
    }
}

/// <summary>The request body of <see cref="AssessEpisode"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record AssessEpisodeRequest(long ExpectedVersion, bool SuitableForTreatment) : IExpectVersion
{
    public static implicit operator AssessEpisode(AssessEpisodeRequest request) => new(request.ExpectedVersion, request.SuitableForTreatment);
}

/// <summary>A therapist starts treatment after assessment and becomes the episode's therapist.</summary>
public static class StartTreatmentEndpoint
{
    public static ProblemDetails Validate(VersionedRequest command) => Problems.Validate(command, ExpectedVersionValidator<VersionedRequest>.Instance);

    [WolverinePost("/api/episodes/{careEpisodeId}/treatment"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        VersionedRequest command, Guid careEpisodeId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var therapistId = Actor.From(user).UserId!.Value;
        return (await session.ChangeAsync<CareEpisode>(careEpisodeId, "care episode", command.ExpectedVersion,
            e => StartTreatment.Decide(e, therapistId, new StartTreatment(command.ExpectedVersion), time.GetUtcNow()), cancellation,
            guard: e => e.TherapistId != therapistId ? Problems.Forbidden("The therapist who assessed the referral starts the treatment.") : null)).Ok();
    }
}

/// <summary>The episode's therapist (or the clinic) discharges it with an NHS Talking Therapies reason.</summary>
public static class DischargeEpisodeEndpoint
{
    public static ProblemDetails Validate(DischargeEpisodeRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/episodes/{careEpisodeId}/discharge"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        DischargeEpisodeRequest command, Guid careEpisodeId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        return (await session.ChangeAsync<CareEpisode>(careEpisodeId, "care episode", command.ExpectedVersion,
            e => DischargeEpisode.Decide(e, command, time.GetUtcNow()), cancellation,
            guard: e => actor.Is(ClinicRoles.Therapist) && e.TherapistId != actor.UserId
                ? Problems.Forbidden("Only the episode's therapist, or the clinic, discharges it.")
                : null)).Ok();
    }

    public sealed class Validator : AbstractValidator<DischargeEpisodeRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            RuleFor(x => x.Reason).IsInEnum();
        }
    }
}

/// <summary>The request body of <see cref="DischargeEpisode"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record DischargeEpisodeRequest(long ExpectedVersion, DischargeReason Reason) : IExpectVersion
{
    public static implicit operator DischargeEpisode(DischargeEpisodeRequest request) => new(request.ExpectedVersion, request.Reason);
}
