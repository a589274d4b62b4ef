using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Clinical.Episodes;

/// <summary>A therapist starts treatment after assessment and becomes the episode's therapist.</summary>
public static class StartTreatmentEndpoint
{
    public static ProblemDetails Validate(StartTreatmentRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/episodes/{careEpisodeId}/treatment"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        StartTreatmentRequest command, Guid careEpisodeId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var therapistId = Actor.From(user).UserId!.Value;
        return (await session.ChangeAsync<CareEpisode>(careEpisodeId, "care episode", command.ExpectedVersion,
            e => StartTreatment.Decide(e, therapistId, command, time.GetUtcNow()), cancellation,
            guard: e => e.TherapistId != therapistId ? Problems.Forbidden("The therapist who assessed the referral starts the treatment.") : null)).Ok();
    }

    public sealed class Validator : AbstractValidator<StartTreatmentRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.ExpectedVersion).GreaterThan(0);
    }
}

/// <summary>The request body of <see cref="StartTreatment"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record StartTreatmentRequest(
    long ExpectedVersion) : IExpectVersion
{
    public static implicit operator StartTreatment(StartTreatmentRequest request) => new(
        request.ExpectedVersion);
}
