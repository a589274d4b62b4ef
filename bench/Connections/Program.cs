using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

// Usage: Connections echo-server <url>                       a bare SignalR hub (the baseline), until stopped
//        Connections <clinic url> <clinic pid> <echo url> <echo pid> <counts, e.g. 1000,5000> <rounds> <patients>
if (args[0] == "echo-server")
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.WebHost.UseUrls(args[1]);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddSignalR();
    var app = builder.Build();
    app.MapHub<EchoHub>("/hubs/echo");
    await app.RunAsync();
    return 0;
}

var (clinic, clinicPid, echo, echoPid) = (new Uri(args[0]), int.Parse(args[1]), new Uri(args[2]), int.Parse(args[3]));
var counts = args[4].Split(',').Select(int.Parse).ToArray();
var rounds = int.Parse(args[5]);
var patients = int.Parse(args[6]);
if (counts.Any(n => n < patients))
{
    Console.Error.WriteLine($"Every connection count must be at least the number of conversations ({patients}).");
    return 2;
}

using var http = new HttpClient { BaseAddress = clinic, Timeout = TimeSpan.FromSeconds(60) };
Console.Error.WriteLine($"Registering {patients} patients (each a conversation)...");
var run = Guid.NewGuid().ToString("N")[..8];
var people = new (Guid Id, string Token)[patients];
await Parallel.ForEachAsync(Enumerable.Range(0, patients), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
{
    var email = $"hub.{run}.{i}@bench.clinic";
    var registered = await http.PostAsJsonAsync("/api/patients",
        new { givenName = "Hub", familyName = $"Patient {i}", dateOfBirth = "1985-01-01", email, password = "bench-password-1" }, ct);
    registered.EnsureSuccessStatusCode();
    var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "password", ["client_id"] = "clinic-app", ["username"] = email, ["password"] = "bench-password-1", ["scope"] = "clinic.api",
    }), ct);
    token.EnsureSuccessStatusCode();
    var access = (await token.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString()!;
    using var me = new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { { "Authorization", $"Bearer {access}" } } };
    var id = (await (await http.SendAsync(me, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("subject").GetGuid();
    people[i] = (id, access);
});

var rows = new List<Row>();
foreach (var n in counts)
{
    rows.Add(await Measure("clinic conversations hub", n, clinicPid, token => new HubConnectionBuilder()
        .WithUrl(new Uri(clinic, "/hubs/conversations"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build(),
        (c, p) => c.InvokeAsync<JsonElement>("Join", p.Id), (c, p, body) => c.InvokeAsync<JsonElement>("Send", p.Id, body, null)));
    rows.Add(await Measure("bare SignalR hub (baseline)", n, echoPid, _ => new HubConnectionBuilder().WithUrl(new Uri(echo, "/hubs/echo")).Build(),
        (c, p) => c.InvokeAsync("Join", p.Id.ToString()), (c, p, body) => c.InvokeAsync("Send", p.Id.ToString(), body)));
}

Console.WriteLine();
Console.WriteLine($"{"run",-30} {"conns",6} {"setup/s",8} {"msgs/s",8} {"p50 ms",7} {"p95 ms",7} {"p99 ms",8} {"lost",5} {"KiB/conn",9}");
foreach (var r in rows)
{
    Console.WriteLine($"{r.Name,-30} {r.Connections,6} {r.SetupPerSecond,8:0} {r.DeliveredPerSecond,8:0} {r.P50,7:0.0} {r.P95,7:0.0} {r.P99,8:0.0} {r.Lost,5} {r.KiBPerConnection,9:0.0}");
}

var largest = counts.Max();
var (mine, bare) = (rows.Single(r => r.Connections == largest && r.Name.StartsWith("clinic")), rows.Single(r => r.Connections == largest && r.Name.StartsWith("bare")));
Console.WriteLine();
Console.WriteLine($"summary: {largest} connections in {patients} conversations: clinic hub p99 {mine.P99:0} ms vs bare hub {bare.P99:0} ms, " +
                  $"{mine.DeliveredPerSecond:0} vs {bare.DeliveredPerSecond:0} deliveries/s ({mine.DeliveredPerSecond / bare.DeliveredPerSecond:0.00} of baseline), " +
                  $"{mine.KiBPerConnection:0} vs {bare.KiBPerConnection:0} KiB per connection; lost {mine.Lost} and {bare.Lost}");
return mine.Lost == 0 && bare.Lost == 0 ? 0 : 1;

async Task<Row> Measure(string name, int n, int serverPid, Func<string, HubConnection> build, Func<HubConnection, (Guid Id, string Token), Task> join,
    Func<HubConnection, (Guid Id, string Token), string, Task> send)
{
    Console.Error.WriteLine($"{name}: opening {n} connections...");
    var before = Rss(serverPid);
    var connections = new HubConnection[n];
    var latencies = new ConcurrentBag<double>();
    var delivered = 0;
    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
    {
        var person = people[i % patients];
        var connection = build(person.Token);
        connection.On<object, JsonElement>("message", (_, message) =>
        {
            var body = message.ValueKind == JsonValueKind.String ? message.GetString()! : message.GetProperty("body").GetString()!;
            latencies.Add(Stopwatch.GetElapsedTime(long.Parse(body)).TotalMilliseconds);
            Interlocked.Increment(ref delivered);
        });
        await connection.StartAsync(ct);
        await join(connection, person);
        connections[i] = connection;
    });
    var setup = n / clock.Elapsed.TotalSeconds;
    var memory = (Rss(serverPid) - before) / 1024.0 / n;

    // Each round, every conversation gets one message from one of its connections (a different one each round).
    Console.Error.WriteLine($"{name}: {rounds} rounds of a message in each of {patients} conversations...");
    var expected = 0L;
    clock.Restart();
    for (var round = 0; round < rounds; round++)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, patients), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (p, ct) =>
        {
            // Conversation p's connections are p, p + patients, p + 2 × patients, ...
            var members = (n - p + patients - 1) / patients;
            Interlocked.Add(ref expected, members);
            await send(connections[p + (round % members * patients)], people[p], Stopwatch.GetTimestamp().ToString());
        });
    }

    var deadline = Stopwatch.StartNew();
    while (Volatile.Read(ref delivered) < expected && deadline.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(20);
    }

    var elapsed = clock.Elapsed.TotalSeconds;
    var sorted = latencies.OrderBy(x => x).ToArray();
    double Pct(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
    return new Row(name, n, setup, delivered / elapsed, Pct(0.50), Pct(0.95), Pct(0.99), expected - delivered, memory);
}

static long Rss(int pid) =>
    File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).First();

internal sealed record Row(string Name, int Connections, double SetupPerSecond, double DeliveredPerSecond, double P50, double P95, double P99, long Lost,
    double KiBPerConnection);

/// <summary>The baseline: join a group, and send to it; nothing stored, checked or logged.</summary>
internal sealed class EchoHub : Hub
{
    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Send(string group, string body) => Clients.Group(group).SendAsync("message", group, body);
}
