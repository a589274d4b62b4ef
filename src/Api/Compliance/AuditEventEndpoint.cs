using System.Text.Json;
using EventSourcedClinic.Integrations.Fhir;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Projections.Compliance;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>A logged access rendered as a FHIR R4 AuditEvent (IHE BALP), for export to an audit repository.</summary>
public static class AuditEventEndpoint
{
    [WolverineGet("/api/compliance/access-log/{accessId}/audit-event"), Authorize(Roles = ClinicRoles.Compliance)]
    public static async Task<IResult> Get(Guid accessId, IQuerySession session, CancellationToken cancellation)
    {
        var entry = await session.LoadAsync<AccessLogEntry>(accessId, cancellation);
        return entry is null
            ? Results.Problem(Problems.NotFound("logged access"))
            : Results.Text(JsonSerializer.Serialize(AuditEvents.From(entry.Access), AuditEvents.Json), AuditEvents.ContentType);
    }
}
