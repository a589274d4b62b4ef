using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Clinical.Episodes;

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
