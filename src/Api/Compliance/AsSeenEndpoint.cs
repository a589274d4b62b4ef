using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Clinical.History;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Projections.Clinical;
using EventSourcedClinic.Projections.Compliance;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>One record as it stood at the version an access was served: its stream replayed up to that version.</summary>
public sealed record SeenRecord(string Type, Guid Id, long Version, object? State);

public sealed record AsSeen(AccessView Access, SeenRecord[] Records);

/// <summary>
/// What a user was shown at a logged access, rebuilt from the events: each stream the access names, replayed up to the
/// version logged. Later corrections do not leak into it; the compliance officer's own look is logged too.
/// </summary>
public static class AsSeenEndpoint
{
    [WolverineGet("/api/compliance/access-log/{accessId}/as-seen"), Authorize(Roles = ClinicRoles.Compliance)]
    [ProducesResponseType<AsSeen>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(HttpContext http, Guid accessId, IQuerySession session, AccessLog accessLog, CancellationToken cancellation)
    {
        var entry = await session.LoadAsync<AccessLogEntry>(accessId, cancellation);
        if (entry is null)
        {
            return Results.Problem(Problems.NotFound("logged access"));
        }

        var records = new List<SeenRecord>();
        foreach (var resource in entry.Access.Resources)
        {
            records.Add(new SeenRecord(resource.Type, resource.Id, resource.Version,
                resource.Version == 0 ? null : await ReplayAsync(session, resource, entry.Access.AsOf, cancellation)));
        }

        await accessLog.RecordAsync(http, new PatientRead(entry.Access.PatientId, AccessPurpose.Administration, null,
            entry.Access.Resources.Select(r => (r.Type, r.Id)).ToArray()), cancellation);
        return Results.Ok(new AsSeen(AccessView.From(entry.Access), records.ToArray()));
    }

    /// <summary>Up to the version served; for a read "as of" an instant, up to that instant (and never past the version).</summary>
    private static async Task<object?> ReplayAsync(IQuerySession session, AccessedResource resource, DateTimeOffset? asOf, CancellationToken cancellation)
    {
        var version = asOf is { } instant
            ? (await session.Events.FetchStreamAsync(resource.Id, resource.Version, token: cancellation)).LastOrDefault(e => e.Timestamp <= instant)?.Version ?? 0
            : resource.Version;
        return version == 0 ? null : await ReplayAsync(session, resource with { Version = version }, cancellation);
    }

    private static async Task<object?> ReplayAsync(IQuerySession session, AccessedResource resource, CancellationToken cancellation) => resource.Type switch
    {
        RecordTypes.Patient => await session.Events.AggregateStreamAsync<Patient>(resource.Id, resource.Version, token: cancellation),
        RecordTypes.Consent => await session.Events.AggregateStreamAsync<ConsentRecord>(resource.Id, resource.Version, token: cancellation),
        RecordTypes.History => await session.Events.AggregateStreamAsync<ClinicalHistory>(resource.Id, resource.Version, token: cancellation),
        RecordTypes.Outcomes => await session.Events.AggregateStreamAsync<OutcomeHistory>(resource.Id, resource.Version, token: cancellation),
        RecordTypes.SessionNote => await session.Events.AggregateStreamAsync<SessionNote>(resource.Id, resource.Version, token: cancellation),
        RecordTypes.CareEpisode => await session.Events.AggregateStreamAsync<CareEpisode>(resource.Id, resource.Version, token: cancellation),
        RecordTypes.Appointment => await session.Events.AggregateStreamAsync<CalendarEntry>(resource.Id, resource.Version, token: cancellation),
        _ => (await session.Events.FetchStreamAsync(resource.Id, resource.Version, token: cancellation)).Select(e => e.Data).ToArray(),
    };
}
