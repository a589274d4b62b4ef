using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Demo;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.PersonalData;
using JasperFx;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// FHIR benchmark, against a running clinic: a patient with two years of weekly sessions (a signed note, a PHQ-9 and a
// GAD-7 each week), then Patient/$everything latency, and FHIR read and search throughput at a fixed concurrency.
// Usage: EventSourcedClinic.FhirBench <api-url> <connection-string> [concurrency, default 16] [seconds, default 15]
var api = new Uri(args[0]);
var connectionString = args[1];
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 15;
const int Weeks = 104;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = api, Timeout = TimeSpan.FromSeconds(60) };
async Task<string> TokenAsync(params (string, string)[] form)
{
    var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form.ToDictionary(f => f.Item1, f => f.Item2)));
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
}

Console.Error.WriteLine($"Registering a patient and writing {Weeks} weeks of sessions...");
var email = $"long.course.{Guid.NewGuid():N}@bench.clinic";
var registered = await http.PostAsJsonAsync("/api/patients", new { givenName = "Long", familyName = "Course", dateOfBirth = "1980-03-03", email, password = "bench-password-1" });
registered.EnsureSuccessStatusCode();
var patientId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("patientId").GetGuid();
var patientToken = await TokenAsync(("grant_type", "password"), ("client_id", "clinic-app"), ("username", email), ("password", "bench-password-1"), ("scope", "clinic.api"));
using (var consent = new HttpRequestMessage(HttpMethod.Post, $"/api/patients/{patientId}/consents")
       { Content = JsonContent.Create(new { scope = "shareWithNhsTalkingTherapies", given = true, policyVersion = "2027-01" }) })
{
    consent.Headers.Authorization = new AuthenticationHeaderValue("Bearer", patientToken);
    (await http.SendAsync(consent)).EnsureSuccessStatusCode();
}

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
var services = new ServiceCollection().AddStandaloneStore(configuration, connectionString).BuildServiceProvider();
var seeding = Stopwatch.StartNew();
await DemoClinic.SeedLongCourseAsync(services, patientId, "carmen.ruiz@demo.clinic", Weeks, CancellationToken.None);
Console.Error.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

var system = await TokenAsync(("grant_type", "client_credentials"), ("client_id", "iaptus-demo"), ("client_secret", "iaptus-demo-secret"), ("scope", "system/*.read"));
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system);
var everything = $"/fhir/Patient/{patientId}/$everything";
var count = (await http.GetFromJsonAsync<JsonElement>($"{everything}?_count=0")).GetProperty("total").GetInt32();

async Task<double[]> SequentialAsync(Func<Task> call, int times)
{
    await call(); // warm
    var samples = new double[times];
    for (var i = 0; i < times; i++)
    {
        var watch = Stopwatch.StartNew();
        await call();
        samples[i] = watch.Elapsed.TotalMilliseconds;
    }

    return samples;
}

async Task EnsureOk(string url)
{
    var response = await http.GetAsync(url);
    response.EnsureSuccessStatusCode();
    await response.Content.ReadAsByteArrayAsync();
}

async Task WalkAllPages()
{
    string? next = $"{everything}?_count=100";
    while (next is not null)
    {
        var page = await http.GetFromJsonAsync<JsonElement>(next);
        next = page.GetProperty("link").EnumerateArray().Where(l => l.GetProperty("relation").GetString() == "next")
            .Select(l => l.GetProperty("url").GetString()).FirstOrDefault();
    }
}

var firstPage = await SequentialAsync(() => EnsureOk($"{everything}?_count=100"), 40);
var allPages = await SequentialAsync(WalkAllPages, 10);

async Task<(long Ok, long Failed, double[] Latencies)> LoadAsync(Func<string> url)
{
    var latencies = new ConcurrentBag<double>();
    long ok = 0, failed = 0;
    var until = DateTime.UtcNow.AddSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (DateTime.UtcNow < until)
        {
            var watch = Stopwatch.StartNew();
            var response = await http.GetAsync(url());
            await response.Content.ReadAsByteArrayAsync();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
        }
    }));
    return (ok, failed, latencies.ToArray());
}

var read = await LoadAsync(() => $"/fhir/Patient/{patientId}");
var search = await LoadAsync(() => $"/fhir/Observation?patient={patientId}&code=http://loinc.org|44261-6&_count=20&_sort=-date");

static double Percentile(double[] values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

var cores = Environment.ProcessorCount;
Console.WriteLine();
Console.WriteLine($"patient: {Weeks} weeks of sessions; $everything holds {count} resources");
Console.WriteLine($"{"run",-44} {"conc",5} {"ok",7} {"failed",7} {"per s",8} {"per s/core",11} {"p50 ms",8} {"p95 ms",8}");
Console.WriteLine($"{"$everything, first page (_count=100)",-44} {1,5} {firstPage.Length,7} {0,7} {1000 / firstPage.Average(),8:0.0} {1000 / firstPage.Average() / cores,11:0.0} {Percentile(firstPage, 0.5),8:0.0} {Percentile(firstPage, 0.95),8:0.0}");
Console.WriteLine($"{"$everything, every page",-44} {1,5} {allPages.Length,7} {0,7} {1000 / allPages.Average(),8:0.0} {1000 / allPages.Average() / cores,11:0.0} {Percentile(allPages, 0.5),8:0.0} {Percentile(allPages, 0.95),8:0.0}");
foreach (var (name, result) in new[] { ("read Patient/{id}", read), ("search Observation (PHQ-9, _count=20)", search) })
{
    Console.WriteLine($"{name,-44} {concurrency,5} {result.Ok,7} {result.Failed,7} {result.Ok / (double)seconds,8:0.0} {result.Ok / (double)seconds / cores,11:0.0} {Percentile(result.Latencies, 0.5),8:0.0} {Percentile(result.Latencies, 0.95),8:0.0}");
}

Console.WriteLine($"summary: $everything ({count} resources) first page p50 {Percentile(firstPage, 0.5):0} ms p95 {Percentile(firstPage, 0.95):0} ms, all pages p50 {Percentile(allPages, 0.5):0} ms; " +
                  $"read {read.Ok / (double)seconds / cores:0} /s per core, search {search.Ok / (double)seconds / cores:0} /s per core at concurrency {concurrency} on {cores} cores; failures {read.Failed + search.Failed}");
