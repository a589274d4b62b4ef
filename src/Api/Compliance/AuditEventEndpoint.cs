using System.Text.Json;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Projections.Compliance;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>A logged access rendered as a FHIR R4 AuditEvent (IHE BALP), for export to an audit repository.</summary>
public static class AuditEventEndpoint
{
    [WolverineGet("/api/compliance/access-log/{accessId}/audit-event"), Authorize(Roles = ClinicRoles.Compliance)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, AuditEvents.ContentType)]
    public static async Task<IResult> Get(HttpContext http, Guid accessId, IQuerySession session, AccessLog accessLog, CancellationToken cancellation)
    {
        var entry = await session.LoadAsync<AccessLogEntry>(accessId, cancellation);
        if (entry is null)
        {
            return Results.Problem(Problems.NotFound("logged access"));
        }

        // A break-glass reason is the patient's data too: reading it is logged.
        var log = RecordAccessed.AccessLogStreamId(entry.Access.PatientId);
        await accessLog.RecordAsync(http, new PatientRead(entry.Access.PatientId, AccessPurpose.Administration, null, [(RecordTypes.AccessLog, log)]), cancellation);
        return Results.Text(JsonSerializer.Serialize(AuditEvents.From(entry.Access), AuditEvents.Json), AuditEvents.ContentType);
    }
}
