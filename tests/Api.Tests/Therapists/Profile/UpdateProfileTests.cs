using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Therapists.Profile;

namespace EventSourcedClinic.Api.Tests.Therapists.Profile;

public class UpdateProfileTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object Profile(long version, string[]? languages = null, int fee = 6000, int minutes = 50, string[]? methods = null) => new
    {
        expectedVersion = version, specialisations = new[] { "trauma-ptsd" }, methods = methods ?? ["emdr"], languages = languages ?? ["cy", "en"],
        biography = "EMDR in Welsh.", feePence = fee, sessionMinutes = minutes,
    };

    [Fact]
    public async Task a_therapist_states_their_profile_and_each_changed_part_is_an_event_of_theirs()
    {
        var therapist = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var before = app.Clock.GetUtcNow();

        var response = await self.PutAsJsonAsync($"/api/therapists/{therapist.Id}/profile", Profile(1), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<StreamVersion>(ClinicApp.Json, Cancel))!.Version.ShouldBe(6);
        var events = (await Scenarios.Events(app, therapist.Id)).Skip(1).ToArray();
        events.Select(e => e.Data.GetType()).ShouldBe([
            typeof(TherapistSpecialisationsSet), typeof(TherapistMethodsSet), typeof(TherapistLanguagesSet),
            typeof(TherapistBiographyWritten), typeof(TherapistFeeSet),
        ]);
        foreach (var e in events)
        {
            AuditAssertions.StampedBy(e, therapist.Id.ToString(), ClinicRoles.Therapist, null, before, app.Clock);
        }
    }

    [Fact]
    public async Task sending_the_same_profile_again_appends_nothing_and_keeps_the_version()
    {
        var therapist = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        (await self.PutAsJsonAsync($"/api/therapists/{therapist.Id}/profile", Profile(1), Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await self.PutAsJsonAsync($"/api/therapists/{therapist.Id}/profile", Profile(6), Cancel);

        (await again.Content.ReadFromJsonAsync<StreamVersion>(ClinicApp.Json, Cancel))!.Version.ShouldBe(6);
        (await Scenarios.Events(app, therapist.Id)).Count.ShouldBe(6);
    }

    [Theory]
    [InlineData("languages", new[] { "cy", "xx" }, 6000, 50)]
    [InlineData("languages", new[] { "welsh" }, 6000, 50)]
    [InlineData("feePence", new[] { "cy" }, -100, 50)]
    [InlineData("feePence", new[] { "cy" }, 99_999_999, 50)]
    [InlineData("sessionMinutes", new[] { "cy" }, 6000, 5)]
    [InlineData("languages", new string[0], 6000, 50)]
    public async Task bad_profiles_are_a_400_naming_the_field_and_append_nothing(string field, string[] languages, int fee, int minutes)
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();

        var response = await admin.PutAsJsonAsync($"/api/therapists/{therapist.Id}/profile", Profile(1, languages, fee, minutes), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(response)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        (await Scenarios.Events(app, therapist.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task an_unknown_method_is_named_in_the_problem()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();

        var response = await admin.PutAsJsonAsync($"/api/therapists/{therapist.Id}/profile", Profile(1, methods: ["emdr", "reiki"]), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(response)).GetProperty("errors").GetProperty("methods")[0].GetString()!.ShouldContain("reiki");
    }

    [Fact]
    public async Task a_fee_given_as_text_is_a_400()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();
        var json = $$"""{"expectedVersion":1,"specialisations":[],"methods":["cbt"],"languages":["en"],"biography":"","feePence":"sixty pounds","sessionMinutes":50}""";

        var response = await admin.PutAsync($"/api/therapists/{therapist.Id}/profile",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_profile_without_a_fee_is_a_400_not_a_free_therapist()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();
        var json = $$"""{"expectedVersion":1,"specialisations":[],"methods":["cbt"],"languages":["en"],"biography":"","sessionMinutes":50}""";

        var response = await admin.PutAsync($"/api/therapists/{therapist.Id}/profile",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Events(app, therapist.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_machine_client_cannot_edit_a_profile()
    {
        var therapist = await Scenarios.Onboard(app);

        var response = await app.As(await app.SystemToken()).PutAsJsonAsync($"/api/therapists/{therapist.Id}/profile", Profile(1), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_therapist_cannot_edit_another_therapists_profile_but_an_admin_can()
    {
        var mine = await Scenarios.Onboard(app);
        var theirs = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(mine.Email, mine.Password));

        var refused = await self.PutAsJsonAsync($"/api/therapists/{theirs.Id}/profile", Profile(1), Cancel);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Scenarios.Events(app, theirs.Id)).Count.ShouldBe(1);

        using var admin = await app.AsAdmin();
        (await admin.PutAsJsonAsync($"/api/therapists/{theirs.Id}/profile", Profile(1), Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_patient_cannot_edit_a_profile()
    {
        var therapist = await Scenarios.Onboard(app);
        var patient = await PatientAccounts.Register(app);

        var response = await app.As(await app.PasswordToken(patient.Email, patient.Password))
            .PutAsJsonAsync($"/api/therapists/{therapist.Id}/profile", Profile(1), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task an_oversized_body_is_refused_with_a_4xx_not_a_500()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();
        var huge = new string('x', 40 * 1024 * 1024);

        var response = await admin.PutAsync($"/api/therapists/{therapist.Id}/profile",
            new StringContent($$"""{"expectedVersion":1,"biography":"{{huge}}"}""", System.Text.Encoding.UTF8, "application/json"), Cancel);

        ((int)response.StatusCode).ShouldBeInRange(400, 499);
        (await Scenarios.Events(app, therapist.Id)).Count.ShouldBe(1);
    }
}
