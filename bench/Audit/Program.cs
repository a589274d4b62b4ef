using System.Diagnostics;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Kernel;
using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Domain;
using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Patients.Registration;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// The audit benchmark: a store of N events (20 per patient: registration, outcome measures, consents, logged reads),
// then the rebuild of every projection and the hash-chain verification, each beside a plain read of the same rows.
// Usage: EventSourcedClinic.AuditBench <connection string> [events, default 1000000]
var connectionString = args[0];
var target = args.Length > 1 ? long.Parse(args[1]) : 1_000_000;
const int EventsPerPatient = 20;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
var services = new ServiceCollection().AddStandaloneStore(configuration, connectionString).BuildServiceProvider();
var database = services.GetRequiredService<NpgsqlDataSource>();
var store = services.GetRequiredService<IDocumentStore>();

long existing;
await using (var count = database.CreateCommand("select count(*) from clinic.mt_events"))
{
    existing = (long)(await count.ExecuteScalarAsync())!;
}

var clock = Stopwatch.StartNew();
var random = new Random(2027);
var patients = (target - existing + EventsPerPatient - 1) / EventsPerPatient;
const int Batch = 250;
for (var done = 0L; done < patients; done += Batch)
{
    await using var session = store.LightweightSession();
    session.SetHeader(AuditStamp.UserId, "operator:bench");
    session.SetHeader(AuditStamp.Role, "operator");
    for (var i = 0; i < Math.Min(Batch, patients - done); i++)
    {
        var id = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow;
        session.Events.StartStream<Patient>(id, new PatientRegistered(id, PersonalText.Of(id, $"Given{done + i}"), PersonalText.Of(id, "Family"),
            PersonalText.Of(id, "1990-01-01"), PersonalText.Of(id, $"p{done + i}@bench.clinic"), null, at));
        session.Events.Append(RecordOutcome.StreamId(id), Enumerable.Range(0, 10).Select(_ => RecordOutcome.Decide(id, Guid.CreateVersion7(),
            new RecordOutcome(Questionnaire.Gad7, Enumerable.Range(0, 7).Select(_ => random.Next(0, 4)).ToArray()), at).Events[0]).ToArray());
        session.Events.Append(ConsentRecord.StreamId(id),
            new ConsentGiven(id, ConsentScope.Treatment, "2027-01", at), new ConsentGiven(id, ConsentScope.ShareWithNhsTalkingTherapies, "2027-01", at));
        session.Events.Append(RecordAccessed.AccessLogStreamId(id), Enumerable.Range(0, 7).Select(_ => (object)new RecordAccessed(
            Guid.CreateVersion7(), id, Guid.NewGuid().ToString(), "therapist", "clinic-app", AccessPurpose.DirectCare, null, "GET /bench",
            [new AccessedResource("OutcomeHistory", RecordOutcome.StreamId(id), 10)], at)).ToArray());
    }

    await session.SaveChangesAsync();
    if ((done / Batch) % 40 == 0)
    {
        Console.Error.WriteLine($"  seeded {existing + (done + Batch) * EventsPerPatient:N0} events ({clock.Elapsed.TotalSeconds:0} s)");
    }
}

long events;
await using (var count = database.CreateCommand("select count(*) from clinic.mt_events"))
{
    events = (long)(await count.ExecuteScalarAsync())!;
}

if (patients > 0)
{
    Console.Error.WriteLine($"seeded {events - existing:N0} events in {clock.Elapsed.TotalSeconds:0} s ({(events - existing) / clock.Elapsed.TotalSeconds:N0}/s, projections inline)");
}

foreach (var table in new[] { "clinic.mt_events", "clinic.event_chain" })
{
    await using var vacuum = database.CreateCommand($"vacuum analyze {table}");
    vacuum.CommandTimeout = 0;
    await vacuum.ExecuteNonQueryAsync();
}

var rows = new List<(string Name, long Events, double Seconds)>();

async Task<long> PlainReadAsync(string sql)
{
    await using var command = database.CreateCommand(sql);
    command.CommandTimeout = 0;
    await using var reader = await command.ExecuteReaderAsync();
    long n = 0;
    var buffer = new object[reader.FieldCount];
    while (await reader.ReadAsync())
    {
        reader.GetValues(buffer);
        n++;
    }

    return n;
}

async Task Measure(string name, Func<Task<long>> run)
{
    var watch = Stopwatch.StartNew();
    var n = await run();
    rows.Add((name, n, watch.Elapsed.TotalSeconds));
    Console.Error.WriteLine($"  {name}: {n:N0} in {watch.Elapsed.TotalSeconds:0.0} s");
}

// Once unmeasured, so that both plain reads start from the same warm cache.
await PlainReadAsync("select data from clinic.mt_events");
await Measure("baseline: plain read of every event row", () =>
    PlainReadAsync("select seq_id, id, stream_id, version, data, type, timestamp, tenant_id, correlation_id, causation_id, headers, user_name from clinic.mt_events order by seq_id"));

var projections = ((DocumentStore)store).Options.Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live).ToArray();
double rebuildSeconds = 0;
using (var daemon = await store.BuildProjectionDaemonAsync(logger: NullLogger.Instance))
{
    foreach (var projection in projections)
    {
        var watch = Stopwatch.StartNew();
        await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromHours(2), CancellationToken.None);
        rebuildSeconds += watch.Elapsed.TotalSeconds;
        var name = projection.Name[(projection.Name.LastIndexOf('.') + 1)..];
        rows.Add(($"  rebuild {name}", events, watch.Elapsed.TotalSeconds));
        Console.Error.WriteLine($"  rebuild {name}: {watch.Elapsed.TotalSeconds:0.0} s");
    }
}

rows.Add(($"rebuild all {projections.Length} projections", events, rebuildSeconds));

await Measure("baseline: plain read of events with their links", () =>
    PlainReadAsync("select e.seq_id, e.id, e.stream_id, e.version, e.data, e.type, e.timestamp, e.tenant_id, e.correlation_id, e.causation_id, e.headers, e.user_name, c.hash " +
                   "from clinic.mt_events e join clinic.event_chain c on c.seq_id = e.seq_id"));
ChainVerification? verification = null;
await Measure("hash-chain verification", async () =>
{
    verification = await services.GetRequiredService<EventChain>().VerifyAsync(null, CancellationToken.None);
    return verification.EventsChecked;
});

Console.WriteLine();
Console.WriteLine($"{"run (rates are over every event in the store)",-52} {"events",12} {"seconds",9} {"events/s",12}");
foreach (var (name, n, seconds) in rows)
{
    Console.WriteLine($"{name,-52} {n,12:N0} {seconds,9:0.0} {n / seconds,12:N0}");
}

var plainRead = rows[0].Events / rows[0].Seconds;
var rebuildRate = events / rebuildSeconds;
var plainLinks = rows[^2].Events / rows[^2].Seconds;
var verifyRate = rows[^1].Events / rows[^1].Seconds;
Console.WriteLine(
    $"summary: {events:N0} events; rebuild of all {projections.Length} projections {rebuildRate:N0} events/s ({rebuildRate / plainRead:0.00} of a plain read at {plainRead:N0}/s); " +
    $"chain verification {verifyRate:N0} events/s ({verifyRate / plainLinks:0.00} of a plain read at {plainLinks:N0}/s), intact: {verification!.Intact}; " +
    $"peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
