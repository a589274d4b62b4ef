using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EventSourcedClinic.Projections.Scheduling;
using JasperFx;
using JasperFx.Events.Projections;
using Npgsql;

namespace EventSourcedClinic.Api.Compliance;

public sealed record ReadModelDifference(string Kind, string Id, string Detail);

public sealed record ReadModelComparison(string Name, long Live, long Rebuilt, int DifferenceCount, ReadModelDifference[] Differences);

public sealed record ReplayReport(string Schema, long Events, double Seconds, ReadModelComparison[] ReadModels)
{
    public bool Matches => ReadModels.All(m => m.DifferenceCount == 0);
}

/// <summary>
/// Replays every event into a scratch schema, through every projection, and compares what it builds with the live read
/// models, document by document, decrypted (ciphertexts differ on every write; the plaintexts must not). Nothing live is
/// written: the events are copied into the scratch schema first, and the schema is dropped afterwards.
/// </summary>
public sealed class ReplayVerification(StoreLayout layout, NpgsqlDataSource database, IDocumentStore live, ILogger<ReplayVerification> logger)
{
    private const int MaxListed = 100;

    private static readonly JsonSerializerOptions Plain = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<ReplayReport> RunAsync(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        // A schema of its own per run, so that two replays never meet.
        var scratchSchema = $"clinic_replay_{Guid.NewGuid():N}"[..26];
        await ExecuteAsync($"drop schema if exists {scratchSchema} cascade", cancellation);
        try
        {
            var options = layout.For(scratchSchema, AutoCreate.All);
            options.Connection(database);
            using var scratch = new DocumentStore(options);
            // Every area's objects, the slot claims table among them, are made in the scratch schema too.
            await scratch.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var claims = new SlotClaims(scratchSchema);
            var events = await CopyEventsAsync(scratchSchema, cancellation);

            var projections = options.Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live).ToArray();
            using (var daemon = await scratch.BuildProjectionDaemonAsync())
            {
                foreach (var projection in projections)
                {
                    logger.LogInformation("Replaying {Projection} into {Schema}", projection.Name, scratchSchema);
                    await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromHours(1), cancellation);
                }
            }

            var comparisons = new List<ReadModelComparison>();
            foreach (var type in projections.SelectMany(p => p.PublishedTypes()).Distinct().OrderBy(t => t.Name))
            {
                comparisons.Add(await CompareDocumentsAsync(type, scratch, cancellation));
            }

            comparisons.Add(await CompareRowsAsync("slot claims", $"{ClinicSchema.Name}.{SlotClaims.TableName}", claims.Table, cancellation));
            return new ReplayReport(scratchSchema, events, clock.Elapsed.TotalSeconds, comparisons.ToArray());
        }
        finally
        {
            await ExecuteAsync($"drop schema if exists {scratchSchema} cascade", CancellationToken.None);
        }
    }

    /// <summary>The live events and streams, copied column for column into the scratch schema.</summary>
    private async Task<long> CopyEventsAsync(string scratchSchema, CancellationToken cancellation)
    {
        long copied = 0;
        foreach (var table in new[] { "mt_streams", "mt_events" })
        {
            await using var columns = database.CreateCommand(
                "select string_agg(quote_ident(column_name), ', ' order by ordinal_position) from information_schema.columns where table_schema = $1 and table_name = $2");
            columns.Parameters.AddWithValue(scratchSchema);
            columns.Parameters.AddWithValue(table);
            var list = (string)(await columns.ExecuteScalarAsync(cancellation))!;
            await using var copy = database.CreateCommand(
                $"insert into {scratchSchema}.{table} ({list}) select {list} from {ClinicSchema.Name}.{table}");
            copy.CommandTimeout = 0;
            copied = await copy.ExecuteNonQueryAsync(cancellation);
        }

        return copied;
    }

    private async Task<ReadModelComparison> CompareDocumentsAsync(Type type, IDocumentStore scratch, CancellationToken cancellation)
    {
        var serializer = live.Options.Serializer();
        async Task<Dictionary<string, string>> ReadAsync(IDocumentStore store)
        {
            await store.Storage.Database.EnsureStorageExistsAsync(type, cancellation);
            var table = store.Options.FindOrResolveDocumentType(type).TableName.QualifiedName;
            await using var select = database.CreateCommand($"select id::text, data::text from {table}");
            select.CommandTimeout = 0;
            await using var reader = await select.ExecuteReaderAsync(cancellation);
            var documents = new Dictionary<string, string>();
            while (await reader.ReadAsync(cancellation))
            {
                await using var json = new MemoryStream(Encoding.UTF8.GetBytes(reader.GetString(1)));
                documents[reader.GetString(0)] = JsonSerializer.Serialize(serializer.FromJson(type, json), type, Plain);
            }

            return documents;
        }

        return Compare(type.Name, await ReadAsync(live), await ReadAsync(scratch));
    }

    private async Task<ReadModelComparison> CompareRowsAsync(string name, string liveTable, string scratchTable, CancellationToken cancellation)
    {
        async Task<Dictionary<string, string>> ReadAsync(string table)
        {
            await using var select = database.CreateCommand($"select appointment_id::text, row(therapist_id, patient_id, during)::text from {table}");
            await using var reader = await select.ExecuteReaderAsync(cancellation);
            var rows = new Dictionary<string, string>();
            while (await reader.ReadAsync(cancellation))
            {
                rows[reader.GetString(0)] = reader.GetString(1);
            }

            return rows;
        }

        return Compare(name, await ReadAsync(liveTable), await ReadAsync(scratchTable));
    }

    private static ReadModelComparison Compare(string name, Dictionary<string, string> live, Dictionary<string, string> rebuilt)
    {
        var differences = new List<ReadModelDifference>();
        foreach (var (id, document) in live.OrderBy(x => x.Key))
        {
            if (!rebuilt.TryGetValue(id, out var replayed))
            {
                differences.Add(new ReadModelDifference("missing-from-replay", id, "the live read model has it; the events do not produce it"));
            }
            else if (replayed != document)
            {
                var at = document.Zip(replayed).TakeWhile(pair => pair.First == pair.Second).Count();
                // Where they part, by property, never the (decrypted) values themselves.
                differences.Add(new ReadModelDifference("different", id, $"the documents part at character {at}, in '{PropertyAt(document, at)}'"));
            }
        }

        differences.AddRange(rebuilt.Keys.Except(live.Keys).Order()
            .Select(id => new ReadModelDifference("missing-from-live", id, "the events produce it; the live read model lacks it")));
        return new ReadModelComparison(name, live.Count, rebuilt.Count, differences.Count, differences.Take(MaxListed).ToArray());
    }

    private static string PropertyAt(string json, int at)
    {
        var end = json.LastIndexOf("\":", Math.Min(at, json.Length - 1), StringComparison.Ordinal);
        var start = end > 0 ? json.LastIndexOf('"', end - 1) : -1;
        return start >= 0 ? json[(start + 1)..end] : "(document)";
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
