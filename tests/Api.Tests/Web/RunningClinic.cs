using System.Diagnostics;
using Npgsql;

namespace EventSourcedClinic.Api.Tests.Web;

/// <summary>
/// The clinic as scripts/run starts it, on free loopback ports and a database of its own: the API (built in Release,
/// run as its own process, migrated and seeded with the demo clinic), the fake Stripe (in this process, signing its
/// webhooks to the API) and the web app (its own process). What a browser test drives.
/// </summary>
public sealed class RunningClinic : IAsyncLifetime
{
    private readonly List<Process> _processes = [];
    private readonly string _database = $"clinic_web_{Guid.NewGuid():N}";
    private readonly string _server = Environment.GetEnvironmentVariable("ConnectionStrings__Clinic") ?? "Host=127.0.0.1;Port=55432;Database=postgres;Username=postgres";
    private Microsoft.AspNetCore.Builder.WebApplication? _stripe;

    public string ApiUrl { get; } = $"http://127.0.0.1:{ClinicApp.FreePort()}";

    public string WebUrl { get; } = $"http://127.0.0.1:{ClinicApp.FreePort()}";

    public string StripeUrl { get; } = $"http://127.0.0.1:{ClinicApp.FreePort()}";

    public const string Password = "demo-clinic-2027";

    private static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventSourcedClinic.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("The repository's root was not found above the test's folder.");
        }
    }

    public async ValueTask InitializeAsync()
    {
        await using (var server = new NpgsqlConnection(_server))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{_database}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        _stripe = FakeStripe.FakeStripeServer.Build(new FakeStripe.FakeStripeOptions
        {
            Urls = StripeUrl, WebhookUrl = $"{ApiUrl}/webhooks/stripe", WebhookSecret = "whsec_fake_stripe_local",
        });
        await _stripe.StartAsync();

        var api = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ASPNETCORE_URLS"] = ApiUrl,
            ["ConnectionStrings__Clinic"] = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString,
            ["Payments__Stripe__ApiBase"] = StripeUrl, ["Auth__AppRedirectUris__0"] = $"{WebUrl}/signin-oidc",
            ["Payments__Billing__NightlyReconciliation"] = "false", ["Logging__LogLevel__Default"] = "Warning",
            // Janus as scripts/test started it (its address and key are in this process's environment), and a room that
            // opens an hour ahead, so the demo's drop-in therapist's next session (at most 20 minutes away) can be joined now.
            ["Video__Provider"] = Environment.GetEnvironmentVariable("Video__Janus__Url") is null ? "" : "janus", ["Video__JoinBeforeMinutes"] = "60",
        };
        var apiDir = Path.Combine(Root, "src/Api/bin/Release/net10.0");
        await RunToEndAsync(apiDir, "EventSourcedClinic.Api.dll migrate", api);
        await RunToEndAsync(Path.Combine(Root, "src/Demo/bin/Release/net10.0"), "EventSourcedClinic.Demo.dll", api);
        Start(apiDir, "EventSourcedClinic.Api.dll", api);
        Start(Path.Combine(Root, "src/Web"), "bin/Release/net10.0/EventSourcedClinic.Web.dll", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ASPNETCORE_URLS"] = WebUrl, ["Web__ApiUrl"] = ApiUrl, ["Web__AllowHttp"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (!await Answers(http, $"{ApiUrl}/health/ready") || !await Answers(http, $"{WebUrl}/health"))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the API and the web app did not start: " + string.Join("\n", _processes.Select(p => p.HasExited ? $"exited {p.ExitCode}" : "running")));
            await poll.WaitForNextTickAsync();
        }
    }

    private static async Task<bool> Answers(HttpClient http, string url)
    {
        try
        {
            return (await http.GetAsync(url)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private Process Start(string directory, string arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private async Task RunToEndAsync(string directory, string arguments, IReadOnlyDictionary<string, string> environment)
    {
        var process = Start(directory, arguments, environment);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        process.ExitCode.ShouldBe(0, $"dotnet {arguments} failed");
        _processes.Remove(process);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        if (_stripe is not null)
        {
            await _stripe.DisposeAsync();
        }

        await using var server = new NpgsqlConnection(_server);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{_database}\" with (force)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
