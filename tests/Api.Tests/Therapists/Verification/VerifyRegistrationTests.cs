using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Therapists.Verification;

namespace EventSourcedClinic.Api.Tests.Therapists.Verification;

public class VerifyRegistrationTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task an_admin_verifies_a_registration_and_the_event_names_the_admin()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("/api/me", Cancel)).GetProperty("subject").GetString()!;
        var before = app.Clock.GetUtcNow();

        var response = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification",
            new { expectedVersion = 1, checkedAgainst = "HCPC register, checked by phone" }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<StreamVersion>(ClinicApp.Json, Cancel)).ShouldBe(new StreamVersion(therapist.Id, 2));
        var e = (await Scenarios.Events(app, therapist.Id)).Last();
        e.Data.ShouldBeOfType<TherapistRegistrationVerified>().CheckedAgainst.ShouldBe("HCPC register, checked by phone");
        AuditAssertions.StampedBy(e, adminId, ClinicRoles.Admin, null, before, app.Clock);
    }

    [Fact]
    public async Task verifying_twice_is_a_409_naming_the_rule()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();
        (await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification", new { expectedVersion = 1, checkedAgainst = "HCPC" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification", new { expectedVersion = 2, checkedAgainst = "HCPC" }, Cancel);

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(again)).GetProperty("rule").GetString().ShouldBe("already-verified");
    }

    [Fact]
    public async Task a_stale_expected_version_is_a_409_and_appends_nothing()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();
        (await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/suspension", new { expectedVersion = 1, reason = "check" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var stale = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification", new { expectedVersion = 1, checkedAgainst = "HCPC" }, Cancel);

        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(stale)).GetProperty("rule").GetString().ShouldBe("stale-version");
        (await Scenarios.Events(app, therapist.Id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task an_unknown_therapist_is_a_404_problem()
    {
        using var admin = await app.AsAdmin();

        var response = await admin.PostAsJsonAsync($"/api/therapists/{Guid.CreateVersion7()}/verification", new { expectedVersion = 1, checkedAgainst = "HCPC" }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Scenarios.Problem(response)).GetProperty("status").GetInt32().ShouldBe(404);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("123")]
    public async Task an_id_that_is_not_a_guid_is_not_found(string id)
    {
        using var admin = await app.AsAdmin();

        var response = await admin.PostAsJsonAsync($"/api/therapists/{id}/verification", new { expectedVersion = 1, checkedAgainst = "HCPC" }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_missing_or_zero_version_is_a_400_naming_expected_version()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();

        var missing = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification", new { checkedAgainst = "HCPC" }, Cancel);
        var zero = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification", new { expectedVersion = 0, checkedAgainst = "HCPC" }, Cancel);

        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(missing)).GetProperty("detail").GetString()!.ShouldContain("expectedVersion");
        zero.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(zero)).GetProperty("errors").TryGetProperty("expectedVersion", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task many_admins_verifying_at_once_append_exactly_one_verification()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification", new { expectedVersion = 1, checkedAgainst = $"HCPC #{i}" }, Cancel)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(29);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            (await Scenarios.Problem(conflict)).GetProperty("status").GetInt32().ShouldBe(409);
        }

        (await Scenarios.Events(app, therapist.Id)).Count(e => e.Data is TherapistRegistrationVerified).ShouldBe(1);
    }

    [Fact]
    public async Task only_an_admin_verifies()
    {
        var therapist = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));

        (await self.PostAsJsonAsync($"/api/therapists/{therapist.Id}/verification", new { expectedVersion = 1, checkedAgainst = "me" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Scenarios.Events(app, therapist.Id)).Count.ShouldBe(1);
    }
}
