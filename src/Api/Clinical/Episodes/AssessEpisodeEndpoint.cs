using EventSourcedClinic.Domain.Clinical.Episodes;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Clinical.Episodes;

/// <summary>A therapist assesses a referral (a therapist; one found unsuitable is discharged at once).</summary>
public static class AssessEpisodeEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(
        AssessEpisode command, IEventStream<CareEpisode> careEpisode, ClaimsPrincipal user, Marten.IDocumentSession session, TimeProvider time,
        CancellationToken cancellation)
    {
        var actor = Actor.From(user);

        // The assessor sees the patient at an assessment appointment; nobody joins a care team by claiming a referral.
        if (careEpisode.Aggregate is { } episode
            && !await PatientAccess.SharesAppointmentAsync(session, actor.UserId!.Value, episode.PatientId, cancellation))
        {
            return Problems.Forbidden("Book the patient's assessment with you first; the assessor is the therapist who sees them.");
        }

        return Decisions.Check(command, Validator.Instance, careEpisode, "care episode", e => AssessEpisode.Decide(e, actor.UserId!.Value, command, time.GetUtcNow()));
    }

    [WolverinePost("/api/episodes/{careEpisodeId}/assessment"), Authorize(Roles = ClinicRoles.Therapist)]
    public static StreamVersion Post(AssessEpisode command, [WriteAggregate] IEventStream<CareEpisode> careEpisode, ClaimsPrincipal user, TimeProvider time)
    {
        var actor = Actor.From(user);
        return careEpisode.Append(AssessEpisode.Decide(careEpisode.Aggregate!, actor.UserId!.Value, command, time.GetUtcNow()));
    }

    public sealed class Validator : AbstractValidator<AssessEpisode>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.ExpectedVersion).GreaterThan(0);
    }
}
