using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Clinical.Episodes;

/// <summary>A patient's care episodes, for the patient and their care team.</summary>
public static class EpisodeViews
{
    [WolverineGet("/api/patients/{patientId}/episodes"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<CareEpisodeView[]>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        HttpContext http, Guid patientId, IQuerySession session, PatientAccess access, CancellationToken cancellation)
    {
        var read = await access.ForReadAsync(http, patientId, session, cancellation);
        if (read.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        var episodes = await session.Query<CareEpisode>().Where(e => e.PatientId == patientId).OrderBy(e => e.ReferredAt).ToListAsync(cancellation);
        await read.LogAsync(cancellation, episodes.Select(e => (RecordTypes.CareEpisode, e.Id)).ToArray());
        return Results.Ok(episodes.Select(CareEpisodeView.From).ToArray());
    }
}
