using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Clinical.Episodes;

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
