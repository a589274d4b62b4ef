using EventSourcedClinic.Domain.Clinical.Episodes;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Clinical.Episodes;

/// <summary>A therapist starts treatment after assessment and becomes the episode's therapist.</summary>
public static class StartTreatmentEndpoint
{
    public static ProblemDetails Validate(StartTreatment command, IEventStream<CareEpisode> careEpisode, ClaimsPrincipal user, TimeProvider time)
    {
        var actor = Actor.From(user);
        if (careEpisode.Aggregate is { } episode && episode.TherapistId != actor.UserId)
        {
            return Problems.Forbidden("The therapist who assessed the referral starts the treatment.");
        }

        return Decisions.Check(command, Validator.Instance, careEpisode, "care episode", e => StartTreatment.Decide(e, actor.UserId!.Value, command, time.GetUtcNow()));
    }

    [WolverinePost("/api/episodes/{careEpisodeId}/treatment"), Authorize(Roles = ClinicRoles.Therapist)]
    public static StreamVersion Post(StartTreatment command, [WriteAggregate] IEventStream<CareEpisode> careEpisode, ClaimsPrincipal user, TimeProvider time)
    {
        var actor = Actor.From(user);
        return careEpisode.Append(StartTreatment.Decide(careEpisode.Aggregate!, actor.UserId!.Value, command, time.GetUtcNow()));
    }

    public sealed class Validator : AbstractValidator<StartTreatment>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.ExpectedVersion).GreaterThan(0);
    }
}
