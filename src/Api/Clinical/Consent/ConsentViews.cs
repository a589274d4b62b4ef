using EventSourcedClinic.Domain.Clinical.Consent;

namespace EventSourcedClinic.Api.Clinical.Consent;

/// <summary>A patient's consents: in force at an instant (default now), each scope's current decision, and the full history.</summary>
public static class ConsentViews
{
    [WolverineGet("/api/patients/{patientId}/consents"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<PatientConsents>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(HttpContext http, 
        Guid patientId, DateTimeOffset? at, IQuerySession session, PatientAccess access, TimeProvider time,
        CancellationToken cancellation)
    {
        var read = await access.ForReadAsync(http, patientId, session, cancellation);
        if (read.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        var record = await session.LoadAsync<ConsentRecord>(ConsentRecord.StreamId(patientId), cancellation)
                     ?? new ConsentRecord(ConsentRecord.StreamId(patientId), patientId, []);
        var instant = at ?? time.GetUtcNow();
        await read.LogAsync(cancellation, (RecordTypes.Consent, record.Id));
        return Results.Ok(new PatientConsents(patientId, instant,
            record.InForceAt(instant),
            Enum.GetValues<ConsentScope>().Select(record.Current).OfType<ConsentDecision>().Select(ConsentDecisionView.From).ToArray(),
            record.History.Select(ConsentDecisionView.From).ToArray()));
    }
}

public sealed record PatientConsents(Guid PatientId, DateTimeOffset At, ConsentScope[] InForce, ConsentDecisionView[] Current, ConsentDecisionView[] History);
