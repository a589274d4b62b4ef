using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Clinical.Episodes;

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
