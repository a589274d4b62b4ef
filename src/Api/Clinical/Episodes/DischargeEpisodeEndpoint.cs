using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Clinical.Episodes;

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
