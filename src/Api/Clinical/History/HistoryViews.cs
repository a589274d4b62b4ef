using EventSourcedClinic.Domain.Clinical.History;

namespace EventSourcedClinic.Api.Clinical.History;

/// <summary>A patient's health history, entries entered in error included and marked, for the patient and their care team.</summary>
public static class HistoryViews
{
    [WolverineGet("/api/patients/{patientId}/history"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<HistoryEntryView[]>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(HttpContext http, Guid patientId, IQuerySession session, PatientAccess access, CancellationToken cancellation)
    {
        var read = await access.ForReadAsync(http, patientId, session, cancellation);
        if (read.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        var history = await session.LoadAsync<ClinicalHistory>(ClinicalHistory.StreamId(patientId), cancellation);
        await read.LogAsync(cancellation, (RecordTypes.History, ClinicalHistory.StreamId(patientId)));
        return Results.Ok((history?.Entries ?? []).Select(HistoryEntryView.From).ToArray());
    }
}
