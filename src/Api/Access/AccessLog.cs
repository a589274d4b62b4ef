using EventSourcedClinic.Domain.Compliance;
using Npgsql;

namespace EventSourcedClinic.Api.Access;

/// <summary>What one read served of one patient's data: the streams it read, for the access log to record at their versions.</summary>
public sealed record PatientRead(Guid PatientId, AccessPurpose Purpose, string? Reason, IReadOnlyCollection<(string Type, Guid StreamId)> Streams);

/// <summary>
/// Appends a <see cref="RecordAccessed"/> to each patient's access-log stream and commits it before the data read is
/// returned (ADR 0009). The version logged for each stream is the one committed when the log is written, read right
/// after the data. Concurrent readers of one patient append to one stream in turn, on its row lock.
/// </summary>
public sealed class AccessLog(IDocumentStore store, NpgsqlDataSource database, ProblemClassifier problems, TimeProvider time, ILogger<AccessLog> logger)
{
    private const int Attempts = 8;

    public Task RecordAsync(HttpContext http, PatientRead read, CancellationToken cancellation, DateTimeOffset? asOf = null) =>
        RecordAsync(http, [read], cancellation, asOf);

    public async Task RecordAsync(HttpContext http, IReadOnlyCollection<PatientRead> reads, CancellationToken cancellation, DateTimeOffset? asOf = null)
    {
        if (reads.Count == 0)
        {
            return;
        }

        var logs = reads.Select(r => RecordAccessed.AccessLogStreamId(r.PatientId)).ToArray();
        var versions = await VersionsAsync(reads.SelectMany(r => r.Streams.Select(s => s.StreamId)).Concat(logs).Distinct().ToArray(), cancellation);
        var actor = Actor.From(http.User);
        // The path only: a query string may carry personal data (an e-mail address, an NHS number) that must not outlive erasure.
        var request = $"{http.Request.Method} {http.Request.Path}";
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                // Which logs exist now: a lost race to create one means it exists on the next attempt.
                foreach (var (id, version) in await VersionsAsync(logs, cancellation))
                {
                    versions[id] = version;
                }
            }

            try
            {
                await AppendAsync(http, reads, versions, actor, request, asOf, cancellation);
                break;
            }
            catch (Exception e) when (attempt < Attempts && problems.IsConflict(e))
            {
                // Another reader started the same patient's access log first, or a first append met an exclusive one
                // (PostgreSQL picks a deadlock victim); append behind it, on the stream's lock this time.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellation);
            }
        }

        foreach (var read in reads.Where(r => r.Purpose == AccessPurpose.BreakGlass))
        {
            logger.LogWarning("Break-glass access: {Accessor} read patient {PatientId}'s record", actor.Id, read.PatientId);
        }
    }

    private async Task AppendAsync(
        HttpContext http, IReadOnlyCollection<PatientRead> reads, Dictionary<Guid, long> versions, Actor actor, string request, DateTimeOffset? asOf,
        CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, http);
        // In one order of streams, so that two readers of the same patients queue rather than deadlock.
        foreach (var read in reads.OrderBy(r => RecordAccessed.AccessLogStreamId(r.PatientId)))
        {
            var log = RecordAccessed.AccessLogStreamId(read.PatientId);
            var accessed = new RecordAccessed(
                Guid.CreateVersion7(), read.PatientId, actor.Id, actor.Role, actor.ClientId, read.Purpose,
                read.Reason is null ? null : PersonalText.Of(read.PatientId, read.Reason),
                request, read.Streams.Select(s => new AccessedResource(s.Type, s.StreamId, versions.GetValueOrDefault(s.StreamId))).ToArray(),
                time.GetUtcNow(), asOf?.ToUniversalTime());
            if (versions.ContainsKey(log))
            {
                // An existing log: appends wait in line on the stream's row lock instead of failing.
                await session.Events.AppendExclusive(log, cancellation, accessed);
            }
            else
            {
                session.Events.Append(log, accessed);
            }
        }

        await session.SaveChangesAsync(cancellation);
    }

    private async Task<Dictionary<Guid, long>> VersionsAsync(Guid[] streamIds, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand($"select id, version from {ClinicSchema.Name}.mt_streams where id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = streamIds });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var versions = new Dictionary<Guid, long>();
        while (await reader.ReadAsync(cancellation))
        {
            versions[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return versions;
    }
}
