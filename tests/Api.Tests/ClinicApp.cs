using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

[assembly: AssemblyFixture(typeof(EventSourcedClinic.Api.Tests.ClinicApp))]

namespace EventSourcedClinic.Api.Tests;

/// <summary>
/// The real host over real HTTP semantics (TestServer), on a database of its own created for this test run on the
/// PostgreSQL that scripts/test starts. Tokens come from the host's own /connect/token. Tests share the host and
/// keep out of each other's way with data of their own (unique e-mails, numbers and search words).
/// </summary>
public sealed class ClinicApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@tests.clinic";
    public const string ComplianceEmail = "compliance@tests.clinic";
    public const string StaffPassword = "staff-password-123";
    public const string SystemClient = "nhs-test-system";
    public const string SystemSecret = "nhs-test-system-secret";
    public const string FhirClient = "nhs-test-iaptus";
    public const string AppRedirectUri = "http://localhost/app/signed-in";

    private readonly string _database;
    private readonly string _serverConnection;
    private readonly Dictionary<string, string> _tokens = new();
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly bool _ownsDatabase;

    public ClinicApp()
        : this(null, new Dictionary<string, string>(), ownsDatabase: true)
    {
    }

    /// <summary>
    /// Another host of the clinic, for tests that need their own settings, or that stop a host and start a new one on the
    /// same database (a restart): the first host creates the database, the last one to go drops it.
    /// </summary>
    internal ClinicApp(string? database, IReadOnlyDictionary<string, string> settings, bool ownsDatabase)
    {
        _database = database ?? $"clinic_test_{Guid.NewGuid():N}";
        _settings = settings;
        _ownsDatabase = ownsDatabase;
        _serverConnection = Environment.GetEnvironmentVariable("ConnectionStrings__Clinic")
            ?? "Host=127.0.0.1;Port=55432;Database=postgres;Username=postgres";
        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnection) { Database = _database, MaxPoolSize = 100 }.ConnectionString;
        StripeOptions = new FakeStripe.FakeStripeOptions
        {
            Urls = $"http://127.0.0.1:{FreePort()}",
            WebhookUrl = "http://localhost/webhooks/stripe",
            WebhookHandler = new ToThisHost(this),
        };
    }

    internal static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Delivers the fake Stripe's webhooks to this host's test server, created after the fake starts.</summary>
    private sealed class ToThisHost(ClinicApp app) : HttpMessageHandler
    {
        private HttpMessageInvoker? _invoker;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (_invoker ??= new HttpMessageInvoker(app.Server.CreateHandler())).SendAsync(request, cancellationToken);
    }

    public string ConnectionString { get; }

    /// <summary>This host's own fake Stripe on a loopback port; its webhooks reach this host without a socket.</summary>
    public FakeStripe.FakeStripeOptions StripeOptions { get; }

    private Microsoft.AspNetCore.Builder.WebApplication? _stripe;

    /// <summary>This host's own fake Twilio (SMS) on a loopback port; its status callbacks reach this host without a socket.</summary>
    public FakeTwilio.FakeTwilioOptions TwilioOptions { get; } = new() { Urls = $"http://127.0.0.1:{FreePort()}" };

    private Microsoft.AspNetCore.Builder.WebApplication? _twilio;

    public string StripeUrl => StripeOptions.Urls;

    public string Database => _database;

    /// <summary>The clinic's clock in tests: real time shifted by a known amount, so events prove which clock stamped them.</summary>
    public TestClock Clock { get; } = new(TimeSpan.FromDays(3));

    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ClinicJson.Configure(options);
        return options;
    }

    public async ValueTask InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        _stripe = FakeStripe.FakeStripeServer.Build(StripeOptions);
        await _stripe.StartAsync();
        TwilioOptions.CallbackHandler = new ToThisHost(this);
        _twilio = FakeTwilio.FakeTwilioServer.Build(TwilioOptions);
        await _twilio.StartAsync();
        await using (var server = new NpgsqlConnection(_serverConnection))
        {
            await server.OpenAsync();
            await using var exists = new NpgsqlCommand($"select 1 from pg_database where datname = '{_database}'", server);
            if (await exists.ExecuteScalarAsync() is not null)
            {
                _ = Server;
                return;
            }

            await using var create = new NpgsqlCommand($"create database \"{_database}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        _ = Server;
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        foreach (var (email, role, name) in new[]
                 {
                     (AdminEmail, ClinicRoles.Admin, "Test Admin"), (ComplianceEmail, ClinicRoles.Compliance, "Test Compliance Officer"),
                 })
        {
            var user = new ClinicUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, DisplayName = name, Role = role };
            (await users.CreateAsync(user, StaffPassword)).Succeeded.ShouldBeTrue();
        }

        var applications = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
        var descriptor = new OpenIddict.Abstractions.OpenIddictApplicationDescriptor
        {
            ClientId = SystemClient, ClientSecret = SystemSecret, DisplayName = "Test NHS system",
            Permissions =
            {
                OpenIddict.Abstractions.OpenIddictConstants.Permissions.Endpoints.Token,
                OpenIddict.Abstractions.OpenIddictConstants.Permissions.GrantTypes.ClientCredentials,
            },
        };
        descriptor.Permissions.Add(OpenIddict.Abstractions.OpenIddictConstants.Permissions.Prefixes.Scope + "system/Patient.read");
        await applications.CreateAsync(descriptor);

        // An NHS Talking Therapies system with every system scope, for the FHIR API.
        var fhirClient = new OpenIddict.Abstractions.OpenIddictApplicationDescriptor
        {
            ClientId = FhirClient, ClientSecret = SystemSecret, DisplayName = "Test NHS Talking Therapies system",
            Permissions =
            {
                OpenIddict.Abstractions.OpenIddictConstants.Permissions.Endpoints.Token,
                OpenIddict.Abstractions.OpenIddictConstants.Permissions.GrantTypes.ClientCredentials,
            },
        };
        foreach (var systemScope in ClinicScopes.SystemScopes)
        {
            fhirClient.Permissions.Add(OpenIddict.Abstractions.OpenIddictConstants.Permissions.Prefixes.Scope + systemScope);
        }

        await applications.CreateAsync(fhirClient);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // UseSetting reaches the host's configuration before Program reads it; ConfigureAppConfiguration comes too late.
        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["ConnectionStrings:Clinic"] = ConnectionString,
                     ["Auth:AllowPasswordGrant"] = "true",
                     ["Payments:Stripe:ApiBase"] = StripeOptions.Urls,
                     ["Payments:Stripe:SecretKey"] = "sk_test_clinic_tests",
                     ["Payments:Stripe:PublishableKey"] = "pk_test_clinic_tests",
                     ["Payments:Stripe:WebhookSecret"] = StripeOptions.WebhookSecret,
                     ["Notifications:Sms:AccountSid"] = TwilioOptions.AccountSid,
                     ["Notifications:Sms:AuthToken"] = TwilioOptions.AuthToken,
                     ["Notifications:Sms:From"] = "+447700900000",
                     ["Notifications:Sms:ApiBase"] = TwilioOptions.Urls,
                     ["Notifications:Sms:StatusCallbackUrl"] = "http://localhost/webhooks/twilio/sms-status",
                     ["Auth:AllowHttp"] = "true",
                     ["Auth:MaxFailedSignIns"] = "3",
                     ["Database:PrepareOnStart"] = "true",
                     ["Auth:AppRedirectUris:0"] = AppRedirectUri,
                     ["Logging:LogLevel:Default"] = "Warning",
                 }.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public HttpClient Anonymous() => CreateClient();

    /// <summary>A browser-like client: keeps cookies, does not follow redirects, so each hop can be checked.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient As(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> AsAdmin() => As(await CachedToken(AdminEmail, StaffPassword));

    public async Task<HttpClient> AsCompliance() => As(await CachedToken(ComplianceEmail, StaffPassword));

    public async Task<string> CachedToken(string email, string password)
    {
        await _tokenLock.WaitAsync();
        try
        {
            if (!_tokens.TryGetValue(email, out var token))
            {
                token = await PasswordToken(email, password);
                _tokens[email] = token;
            }

            return token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    public async Task<HttpResponseMessage> RequestToken(params (string Key, string Value)[] form)
    {
        using var client = CreateClient();
        return await client.PostAsync("/connect/token",
            new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));
    }

    public async Task<string> PasswordToken(string email, string password)
    {
        var response = await RequestToken(
            ("grant_type", "password"), ("client_id", ClientRegistry.ClinicApp), ("username", email), ("password", password), ("scope", ClinicScopes.Api));
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<string> SystemToken(string scope = "system/Patient.read", string client = SystemClient)
    {
        var response = await RequestToken(
            ("grant_type", "client_credentials"), ("client_id", client), ("client_secret", SystemSecret), ("scope", scope));
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_twilio is not null)
        {
            await _twilio.DisposeAsync();
        }

        if (_stripe is not null)
        {
            await _stripe.DisposeAsync();
        }

        if (!_ownsDatabase)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(_serverConnection);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{_database}\" with (force)", server);
        await drop.ExecuteNonQueryAsync();
    }
}

public sealed class TestClock(TimeSpan offset) : TimeProvider
{
    /// <summary>Settable, for a clinic of its own that must live through years (retention) in a moment.</summary>
    public TimeSpan Offset { get; set; } = offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
