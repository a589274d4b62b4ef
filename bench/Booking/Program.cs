using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

// Booking benchmark: many patients booking distinct free slots over HTTP at a fixed concurrency for a fixed time, a
// contention variant on a few slots, the paid variant (hold, pay through Stripe's API on the local fake, confirmed by
// its signed webhook), and in the same run plain single-row PostgreSQL inserts at the same concurrency as the baseline.
// Usage: EventSourcedClinic.Booking <api-url> <connection-string> <api-pid> [concurrency] [seconds] [patients] [stripe-url]
var api = new Uri(args[0]);
var connectionString = args[1];
var apiPid = int.Parse(args[2], CultureInfo.InvariantCulture);
var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16;
var seconds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20;
var patientCount = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 120;
var stripeUrl = args.Length > 6 ? args[6] : "http://127.0.0.1:12111";
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = api, Timeout = TimeSpan.FromSeconds(60) };

Console.Error.WriteLine($"Registering {patientCount} patients and signing them in...");
var run = Guid.NewGuid().ToString("N")[..8];
var tokens = new string[patientCount];
await Parallel.ForEachAsync(Enumerable.Range(0, patientCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
{
    var email = $"bench.{run}.{i}@bench.clinic";
    var registered = await http.PostAsJsonAsync("/api/patients",
        new { givenName = "Bench", familyName = $"Patient {i}", dateOfBirth = "1985-01-01", email, password = "bench-password-1" }, ct);
    registered.EnsureSuccessStatusCode();
    var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "password", ["client_id"] = "clinic-app", ["username"] = email, ["password"] = "bench-password-1", ["scope"] = "clinic.api",
    }), ct);
    token.EnsureSuccessStatusCode();
    tokens[i] = (await token.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString()!;
});

Console.Error.WriteLine("Collecting free slots...");
var directory = await http.GetFromJsonAsync<JsonElement>("/api/directory/therapists?pageSize=100");
var slots = new List<(Guid Therapist, DateTimeOffset Start)>();
foreach (var therapist in directory.GetProperty("items").EnumerateArray())
{
    var id = therapist.GetProperty("id").GetGuid();
    for (var week = 0; week < 8; week += 4)
    {
        var from = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(week * 7);
        var free = await http.GetFromJsonAsync<JsonElement>($"/api/directory/therapists/{id}/slots?from={from:yyyy-MM-dd}&to={from.AddDays(27):yyyy-MM-dd}");
        slots.AddRange(free.GetProperty("slots").EnumerateArray().Select(s => (id, s.GetProperty("start").GetDateTimeOffset())));
    }
}

slots = slots.Distinct().OrderBy(s => s.Start).ThenBy(s => s.Therapist).ToList();
var contended = slots.Take(4).ToList();
// Every third free slot is kept for the paid variant; the index is the slot's place among all, so a patient's
// bookings (every patientCount-th slot) still never overlap.
var indexed = slots.Skip(4).Select((s, i) => (Index: i, s.Therapist, s.Start)).ToArray();
var distinct = new ConcurrentQueue<(int Index, Guid Therapist, DateTimeOffset Start)>(indexed.Where(s => s.Index % 3 != 2));
var forPaid = new ConcurrentQueue<(int Index, Guid Therapist, DateTimeOffset Start)>(indexed.Where(s => s.Index % 3 == 2));
Console.Error.WriteLine($"{slots.Count} free slots across {directory.GetProperty("items").GetArrayLength()} therapists.");

await using var dataSource = NpgsqlDataSource.Create(connectionString);
var claimsBefore = await CountAsync("select count(*) from clinic.slot_claims");
var (apiCpuBefore, pgCpuBefore) = (CpuSeconds(apiPid), PostgresCpuSeconds());
var distinctRun = await Measure("bookings, distinct slots", concurrency, seconds, async worker =>
{
    if (!distinct.TryDequeue(out var slot))
    {
        return null;
    }

    // Slots are ordered by start, so a patient's bookings (every patientCount-th slot) never overlap each other.
    return await Book(tokens[slot.Index % patientCount], slot.Therapist, slot.Start);
});

var apiCpuPerBooking = (CpuSeconds(apiPid) - apiCpuBefore) * 1000 / Math.Max(1, distinctRun.Ok);
var pgCpuPerBooking = (PostgresCpuSeconds() - pgCpuBefore) * 1000 / Math.Max(1, distinctRun.Ok);
var contentionRun = await Measure("bookings, 4 contended slots", concurrency, Math.Max(5, seconds / 4), async worker =>
{
    var slot = contended[Random.Shared.Next(contended.Count)];
    return await Book(tokens[Random.Shared.Next(patientCount)], slot.Therapist, slot.Start);
});

// The paid variant: a self-pay hold, its payment created through Stripe.net, confirmed on the payer's side with the
// publishable key, and the session confirmed by the signed webhook; counted when the appointment reads confirmed.
using var stripe = new HttpClient { BaseAddress = new Uri(stripeUrl), Timeout = TimeSpan.FromSeconds(60) };
var paidRun = await Measure("bookings, paid via Stripe", concurrency, seconds, async worker =>
{
    if (!forPaid.TryDequeue(out var slot))
    {
        return null;
    }

    var token = tokens[slot.Index % patientCount];
    using var hold = new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
    {
        Content = JsonContent.Create(new { therapistId = slot.Therapist, start = slot.Start }, options: json),
    };
    hold.Headers.Authorization = new("Bearer", token);
    using var held = await http.SendAsync(hold);
    if (held.StatusCode != HttpStatusCode.Created)
    {
        return held.StatusCode;
    }

    var appointmentId = (await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("appointmentId").GetGuid();
    using var pay = new HttpRequestMessage(HttpMethod.Post, $"/api/appointments/{appointmentId}/payment");
    pay.Headers.Authorization = new("Bearer", token);
    using var paying = await http.SendAsync(pay);
    if (paying.StatusCode != HttpStatusCode.Created)
    {
        return paying.StatusCode;
    }

    var payment = await paying.Content.ReadFromJsonAsync<JsonElement>();
    using var confirm = new HttpRequestMessage(HttpMethod.Post, $"/v1/payment_intents/{payment.GetProperty("intentId").GetString()}/confirm")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["payment_method"] = "pm_card_visa" }),
    };
    confirm.Headers.Authorization = new("Bearer", payment.GetProperty("publishableKey").GetString());
    (await stripe.SendAsync(confirm)).EnsureSuccessStatusCode();
    for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(20))
    {
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/appointments/{appointmentId}");
        read.Headers.Authorization = new("Bearer", token);
        using var shown = await http.SendAsync(read);
        if ((await shown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() == "confirmed")
        {
            return HttpStatusCode.Created;
        }
    }

    return HttpStatusCode.GatewayTimeout;
});

// Where the time goes, part one: the cost of HTTP, token validation and the host pipeline alone.
var floorRun = await Measure("authenticated GET /api/me", concurrency, Math.Max(5, seconds / 2), async worker =>
{
    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
    request.Headers.Authorization = new("Bearer", tokens[worker % patientCount]);
    using var response = await http.SendAsync(request);
    return response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.Created : response.StatusCode;
});

// Part two: a read of the two read models a booking decision needs, over HTTP (the public slot list of one therapist).
var readRun = await Measure("GET one therapist's slots", concurrency, Math.Max(5, seconds / 2), async worker =>
{
    var slot = slots[worker % slots.Count];
    using var response = await http.GetAsync($"/api/directory/therapists/{slot.Therapist}/slots");
    return response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.Created : response.StatusCode;
});

await using (var create = dataSource.CreateCommand("create table if not exists bench_baseline (id uuid primary key, payload text not null); truncate bench_baseline"))
{
    await create.ExecuteNonQueryAsync();
}

var baselineRun = await Measure("plain single-row inserts", concurrency, seconds, async worker =>
{
    await using var insert = dataSource.CreateCommand("insert into bench_baseline (id, payload) values ($1, $2)");
    insert.Parameters.AddWithValue(Guid.CreateVersion7());
    insert.Parameters.AddWithValue("a booking-sized payload of about one hundred bytes, to keep the comparison honest-ish.");
    await insert.ExecuteNonQueryAsync();
    return HttpStatusCode.Created;
});

await using var doubles = dataSource.CreateCommand("""
    select count(*) from (
        select data->>'therapistId', data->>'start' from clinic.mt_doc_calendarentry
        where lower(data->>'status') in ('held', 'confirmed') group by 1, 2 having count(*) > 1) twice
    """);
var doubleBooked = (long)(await doubles.ExecuteScalarAsync())!;
// Only the contended therapists' own times: another therapist's session at the same instant is no winner.
await using var contendedWinners = dataSource.CreateCommand("""
    select count(*) from clinic.mt_doc_calendarentry c
    join unnest($1::uuid[], $2::timestamptz[]) as contended(therapist_id, start)
      on (c.data->>'therapistId')::uuid = contended.therapist_id and (c.data->>'start')::timestamptz = contended.start
    where lower(c.data->>'status') in ('held', 'confirmed')
    """);
contendedWinners.Parameters.AddWithValue(contended.Select(c => c.Therapist).ToArray());
contendedWinners.Parameters.AddWithValue(contended.Select(c => c.Start.UtcDateTime).ToArray());
var winners = (long)(await contendedWinners.ExecuteScalarAsync())!;
var peakRss = File.ReadLines($"/proc/{apiPid}/status").First(l => l.StartsWith("VmHWM:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

Console.WriteLine();
Console.WriteLine($"{"run",-30} {"conc",5} {"ok",7} {"409",6} {"other",6} {"per s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8}");
foreach (var r in new[] { distinctRun, contentionRun, paidRun, floorRun, readRun, baselineRun })
{
    Console.WriteLine($"{r.Name,-30} {concurrency,5} {r.Ok,7} {r.Conflicts,6} {r.Other,6} {r.PerSecond,8:0.0} {r.P50,8:0.0} {r.P95,8:0.0} {r.P99,8:0.0}");
}

Console.WriteLine();
Console.WriteLine($"slots booked twice: {doubleBooked}; contended slots held: {winners} of {contended.Count}; API peak RSS: {int.Parse(peakRss) / 1024} MiB");
Console.WriteLine($"summary: {distinctRun.PerSecond:0.0} bookings/s vs {baselineRun.PerSecond:0.0} plain inserts/s at concurrency {concurrency} = " +
                  $"{distinctRun.PerSecond / baselineRun.PerSecond:0.00} of baseline; p99 {distinctRun.P99:0} ms; double bookings {doubleBooked}; peak RSS {int.Parse(peakRss) / 1024} MiB");
Console.WriteLine($"paid: {paidRun.PerSecond:0.0} confirmed/s vs {distinctRun.PerSecond:0.0} unpaid bookings/s = {paidRun.PerSecond / distinctRun.PerSecond:0.00}; " +
                  $"p50 {paidRun.P50:0} ms from hold to confirmed; not confirmed in 30 s: {paidRun.Other}");
// The benchmark's own appointments only: the demo clinic's sessions hold times too.
var claimRows = await CountAsync("select count(*) from clinic.slot_claims") - claimsBefore;
var booked = distinctRun.Ok + contentionRun.Ok + paidRun.Ok;
Console.WriteLine($"appointments holding a time: {claimRows} (bookings answered 201 or confirmed: {booked})");
Console.WriteLine($"CPU per booking: API process {apiCpuPerBooking:0.00} ms, PostgreSQL {pgCpuPerBooking:0.00} ms (2 cores = 2000 ms of CPU per second)");
return doubleBooked == 0 && winners == contentionRun.Ok && claimRows == booked && paidRun.Ok > 0 && paidRun.Other == 0 ? 0 : 1;

async Task<long> CountAsync(string sql)
{
    await using var count = dataSource.CreateCommand(sql);
    return (long)(await count.ExecuteScalarAsync())!;
}

async Task<HttpStatusCode?> Book(string token, Guid therapistId, DateTimeOffset start)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/appointments") { Content = JsonContent.Create(new { therapistId, start }, options: json) };
    request.Headers.Authorization = new("Bearer", token);
    using var response = await http.SendAsync(request);
    return response.StatusCode;
}

// utime + stime from /proc/<pid>/stat, in seconds (USER_HZ = 100 on Linux).
static double CpuSeconds(int pid)
{
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static double PostgresCpuSeconds() => Directory.GetDirectories("/proc")
    .Select(d => Path.GetFileName(d))
    .Where(name => name.All(char.IsAsciiDigit))
    .Select(name => int.Parse(name, CultureInfo.InvariantCulture))
    .Where(pid => { try { return File.ReadAllText($"/proc/{pid}/comm").Trim() == "postgres"; } catch (IOException) { return false; } })
    .Sum(pid => { try { return CpuSeconds(pid); } catch (IOException) { return 0; } });

static async Task<Result> Measure(string name, int concurrency, int seconds, Func<int, Task<HttpStatusCode?>> operation)
{
    Console.Error.WriteLine($"Running {name} for {seconds}s at concurrency {concurrency}...");
    var latencies = new ConcurrentBag<double>();
    int ok = 0, conflicts = 0, other = 0;
    var stop = Stopwatch.StartNew();
    var deadline = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
    {
        while (stop.Elapsed < deadline)
        {
            var started = Stopwatch.GetTimestamp();
            var status = await operation(worker);
            if (status is null)
            {
                return;
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _ = status switch
            {
                HttpStatusCode.Created => Interlocked.Increment(ref ok),
                HttpStatusCode.Conflict => Interlocked.Increment(ref conflicts),
                _ => Interlocked.Increment(ref other),
            };
        }
    }));
    var elapsed = stop.Elapsed.TotalSeconds;
    var sorted = latencies.OrderBy(l => l).ToArray();
    double Percentile(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    return new Result(name, ok, conflicts, other, ok / elapsed, Percentile(0.50), Percentile(0.95), Percentile(0.99));
}

internal sealed record Result(string Name, int Ok, int Conflicts, int Other, double PerSecond, double P50, double P95, double P99);
