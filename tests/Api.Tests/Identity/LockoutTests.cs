using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Identity;

namespace EventSourcedClinic.Api.Tests.Identity;

public class LockoutTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task guesses_sent_all_at_once_are_each_counted_so_the_lockout_cannot_be_outrun()
    {
        var patient = await PatientAccounts.Register(app);

        var guesses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => app.RequestToken(("grant_type", "password"),
            ("client_id", ClientRegistry.ClinicApp), ("username", patient.Email), ("password", $"guess-number-{i}"))));

        guesses.ShouldAllBe(g => g.StatusCode == HttpStatusCode.BadRequest);
        var descriptions = await Task.WhenAll(guesses.Select(async g =>
            (await g.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("error_description").GetString()));
        descriptions.Count(d => d == PasswordCheck.Wrong).ShouldBe(3);
        descriptions.Count(d => d == PasswordCheck.Locked).ShouldBe(9);

        var right = await app.RequestToken(("grant_type", "password"), ("client_id", ClientRegistry.ClinicApp),
            ("username", patient.Email), ("password", patient.Password));
        right.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_refresh_token_gives_a_new_access_token_for_the_same_person()
    {
        var patient = await PatientAccounts.Register(app);
        var first = await app.RequestToken(("grant_type", "password"), ("client_id", ClientRegistry.ClinicApp),
            ("username", patient.Email), ("password", patient.Password), ("scope", "clinic.api offline_access"));
        var refreshToken = (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("refresh_token").GetString()!;

        var refreshed = await app.RequestToken(("grant_type", "refresh_token"), ("client_id", ClientRegistry.ClinicApp), ("refresh_token", refreshToken));

        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var access = (await refreshed.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("access_token").GetString()!;
        (await app.As(access).GetFromJsonAsync<JsonElement>("/api/me", Cancel)).GetProperty("subject").GetString().ShouldBe(patient.Id.ToString());
    }

    [Fact]
    public async Task a_machine_token_without_the_api_scope_is_refused_by_the_rest_api()
    {
        using var system = app.As(await app.SystemToken());

        (await system.GetAsync("/api/me", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await system.GetAsync("/api/therapists", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
