using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Therapists.Onboarding;
using EventSourcedClinic.Domain.Therapists;
using JasperFx.Events;
using Marten;

namespace EventSourcedClinic.Api.Tests;

/// <summary>Ways to set the clinic up through its own API, the way a client would.</summary>
public static class Scenarios
{
    private static int _counter = Random.Shared.Next(10_000, 90_000);

    public static int Next() => Interlocked.Increment(ref _counter);

    public static string UniqueWord() => "w" + Guid.NewGuid().ToString("N")[..10];

    public static string UniqueEmail(string who = "person") => $"{who}.{Guid.NewGuid():N}@tests.clinic";

    /// <summary>A fresh NHS number with a valid Modulus 11 check digit (unique across the run with overwhelming odds).</summary>
    public static string NhsNumber()
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 9).Select(_ => Random.Shared.Next(10)).ToArray();
            var check = 11 - digits.Select((d, i) => d * (10 - i)).Sum() % 11;
            if (check == 10)
            {
                continue;
            }

            return string.Concat(digits) + (check == 11 ? 0 : check);
        }
    }

    public static string HcpcNumber() => $"PYL{Next():D6}"[..9];

    public sealed record TherapistAccount(Guid Id, string Email, string Password, long Version);

    public static async Task<TherapistAccount> Onboard(ClinicApp app, string? name = null)
    {
        using var admin = await app.AsAdmin();
        var email = UniqueEmail("therapist");
        var response = await admin.PostAsJsonAsync("/api/therapists",
            new { fullName = name ?? "Dr Test Therapist", email, professionalBody = "hcpc", registrationNumber = HcpcNumber() },
            TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        var onboarded = JsonSerializer.Deserialize<OnboardedTherapist>(body, ClinicApp.Json)!;

        const string password = "therapist-password-1";
        var setup = await app.Anonymous().PostAsJsonAsync("/api/account/password",
            new { email, token = onboarded.PasswordSetupToken, newPassword = password }, TestContext.Current.CancellationToken);
        setup.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return new TherapistAccount(onboarded.TherapistId, email, password, onboarded.Version);
    }

    /// <summary>Onboarded, verified and with a full profile: listed in the directory.</summary>
    public static async Task<TherapistAccount> Listed(
        ClinicApp app, string[] languages, string[] methods, string[] specialisations, int feePence, string biography, string? name = null)
    {
        var therapist = await Onboard(app, name);
        using var admin = await app.AsAdmin();
        var verified = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification",
            new { expectedVersion = therapist.Version, checkedAgainst = "HCPC register" }, TestContext.Current.CancellationToken);
        verified.StatusCode.ShouldBe(HttpStatusCode.OK, await verified.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var version = (await verified.Content.ReadFromJsonAsync<StreamVersion>(ClinicApp.Json, TestContext.Current.CancellationToken))!.Version;

        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var profile = await self.PutAsJsonAsync($"/api/therapists/{therapist.Id}/profile",
            new { expectedVersion = version, specialisations, methods, languages, biography, feePence, sessionMinutes = 50 },
            TestContext.Current.CancellationToken);
        profile.StatusCode.ShouldBe(HttpStatusCode.OK, await profile.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var after = (await profile.Content.ReadFromJsonAsync<StreamVersion>(ClinicApp.Json, TestContext.Current.CancellationToken))!.Version;
        return therapist with { Version = after };
    }

    public static async Task<IReadOnlyList<IEvent>> Events(ClinicApp app, Guid streamId)
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.FetchStreamAsync(streamId, token: TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        (response.Content.Headers.ContentType?.MediaType).ShouldBe("application/problem+json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }

    public static ProfessionalBody Hcpc => ProfessionalBody.Hcpc;
}
