using EventSourcedClinic.Domain.Clinical.Episodes;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Clinical.Episodes;

/// <summary>The episode's therapist (or the clinic) discharges it with an NHS Talking Therapies reason.</summary>
public static class DischargeEpisodeEndpoint
{
    public static ProblemDetails Validate(DischargeEpisode command, IEventStream<CareEpisode> careEpisode, ClaimsPrincipal user, TimeProvider time)
    {
        var actor = Actor.From(user);
        if (careEpisode.Aggregate is { } episode && actor.Is(ClinicRoles.Therapist) && episode.TherapistId != actor.UserId)
        {
            return Problems.Forbidden("Only the episode's therapist, or the clinic, discharges it.");
        }

        return Decisions.Check(command, Validator.Instance, careEpisode, "care episode", e => DischargeEpisode.Decide(e, command, time.GetUtcNow()));
    }

    [WolverinePost("/api/episodes/{careEpisodeId}/discharge"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static StreamVersion Post(DischargeEpisode command, [WriteAggregate] IEventStream<CareEpisode> careEpisode, TimeProvider time) =>
        careEpisode.Append(DischargeEpisode.Decide(careEpisode.Aggregate!, command, time.GetUtcNow()));

    public sealed class Validator : AbstractValidator<DischargeEpisode>
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
