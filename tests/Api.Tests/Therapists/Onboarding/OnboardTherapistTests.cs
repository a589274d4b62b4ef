using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Api.Therapists.Onboarding;
using EventSourcedClinic.Domain.Therapists.Onboarding;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedClinic.Api.Tests.Therapists.Onboarding;

public class OnboardTherapistTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object Body(string? email = null, string? number = null, string name = "Dr Ewa Lis", string body = "hcpc") =>
        new { fullName = name, email = email ?? Scenarios.UniqueEmail(), professionalBody = body, registrationNumber = number ?? Scenarios.HcpcNumber() };

    [Fact]
    public async Task an_admin_onboards_a_therapist_who_then_sets_a_password_and_signs_in()
    {
        var therapist = await Scenarios.Onboard(app, "Dr Ewa Lis");

        var events = await Scenarios.Events(app, therapist.Id);
        var registered = events.ShouldHaveSingleItem().Data.ShouldBeOfType<TherapistRegistered>();
        registered.FullName.ShouldBe("Dr Ewa Lis");
        registered.Email.ShouldBe(therapist.Email);

        var token = await app.PasswordToken(therapist.Email, therapist.Password);
        var me = await app.As(token).GetFromJsonAsync<JsonElement>("/api/me", Cancel);
        me.GetProperty("subject").GetString().ShouldBe(therapist.Id.ToString());
        me.GetProperty("role").GetString().ShouldBe(ClinicRoles.Therapist);
    }

    [Fact]
    public async Task the_event_records_who_onboarded_with_which_client_under_which_correlation_and_when()
    {
        using var admin = await app.AsAdmin();
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("/api/me", Cancel)).GetProperty("subject").GetString();
        var correlation = "onboarding-" + Guid.NewGuid().ToString("N");
        var before = app.Clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/therapists") { Content = JsonContent.Create(Body()) };
        request.Headers.Add(CorrelationIds.Header, correlation);

        var response = await admin.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Headers.GetValues(CorrelationIds.Header).Single().ShouldBe(correlation);
        var id = (await response.Content.ReadFromJsonAsync<OnboardedTherapist>(ClinicApp.Json, Cancel))!.TherapistId;
        var e = (await Scenarios.Events(app, id)).Single();
        AuditAssertions.StampedBy(e, adminId!, ClinicRoles.Admin, correlation, before, app.Clock);
        e.CausationId.ShouldBe($"POST /api/therapists#{e.CausationId!.Split('#')[1]}");
    }

    [Fact]
    public async Task a_registration_number_already_onboarded_is_a_conflict_and_leaves_no_account_behind()
    {
        var number = Scenarios.HcpcNumber();
        using var admin = await app.AsAdmin();
        (await admin.PostAsJsonAsync("/api/therapists", Body(number: number), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var secondEmail = Scenarios.UniqueEmail();

        var second = await admin.PostAsJsonAsync("/api/therapists", Body(email: secondEmail, number: number.ToLowerInvariant()), Cancel);

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(second)).GetProperty("rule").GetString().ShouldBe("registration-number-taken");
        await using var scope = app.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByEmailAsync(secondEmail)).ShouldBeNull();
    }

    [Fact]
    public async Task an_email_already_in_use_is_a_conflict_and_starts_no_stream()
    {
        var email = Scenarios.UniqueEmail();
        using var admin = await app.AsAdmin();
        (await admin.PostAsJsonAsync("/api/therapists", Body(email: email), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var number = Scenarios.HcpcNumber();

        var second = await admin.PostAsJsonAsync("/api/therapists", Body(email: email.ToUpperInvariant(), number: number), Cancel);

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(second)).GetProperty("rule").GetString().ShouldBe("email-taken");
        await using var session = app.Store.QuerySession();
        (await session.Query<Projections.Therapists.TherapistDirectoryEntry>().CountAsync(x => x.RegistrationNumber == number, Cancel)).ShouldBe(0);
    }

    [Theory]
    [InlineData("{\"fullName\":\"A\",")]
    [InlineData("{\"fullName\":5,\"email\":\"a@b.org\",\"professionalBody\":\"hcpc\",\"registrationNumber\":\"PYL12345\"}")]
    [InlineData("{\"fullName\":\"A\",\"email\":\"a@b.org\",\"professionalBody\":\"nope\",\"registrationNumber\":\"PYL12345\"}")]
    [InlineData("{\"fullName\":\"A\",\"email\":\"a@b.org\",\"professionalBody\":\"hcpc\"}")]
    [InlineData("{\"fullName\":null,\"email\":\"a@b.org\",\"professionalBody\":\"hcpc\",\"registrationNumber\":\"PYL12345\"}")]
    [InlineData("null")]
    [InlineData("[1,2,3]")]
    public async Task malformed_mistyped_incomplete_or_null_json_is_a_400(string json)
    {
        using var admin = await app.AsAdmin();

        var response = await admin.PostAsync("/api/therapists", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(response)).GetProperty("status").GetInt32().ShouldBe(400);
    }

    [Theory]
    [InlineData("fullName", "", "a@b.org", "PYL12345")]
    [InlineData("email", "Dr A", "not-an-email", "PYL12345")]
    [InlineData("registrationNumber", "Dr A", "a@b.org", "")]
    [InlineData("registrationNumber", "Dr A", "a@b.org", "PYL123456789012345678")]
    public async Task missing_or_invalid_fields_are_a_400_naming_the_field(string field, string name, string email, string number)
    {
        using var admin = await app.AsAdmin();

        var response = await admin.PostAsJsonAsync("/api/therapists",
            new { fullName = name, email, professionalBody = "hcpc", registrationNumber = number }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(response)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task an_over_long_name_is_a_400()
    {
        using var admin = await app.AsAdmin();

        var response = await admin.PostAsJsonAsync("/api/therapists", Body(name: new string('x', 500)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(response)).GetProperty("errors").TryGetProperty("fullName", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task a_number_in_the_wrong_format_for_its_register_is_a_422_naming_the_rule()
    {
        using var admin = await app.AsAdmin();

        var response = await admin.PostAsJsonAsync("/api/therapists", Body(number: "12345"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe("registration-number-format");
    }

    [Fact]
    public async Task only_an_admin_onboards()
    {
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));

        (await asPatient.PostAsJsonAsync("/api/therapists", Body(), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await app.AsCompliance()).PostAsJsonAsync("/api/therapists", Body(), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.As(await app.SystemToken()).PostAsJsonAsync("/api/therapists", Body(), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.Anonymous().PostAsJsonAsync("/api/therapists", Body(), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_used_or_wrong_setup_token_cannot_set_a_password()
    {
        using var admin = await app.AsAdmin();
        var email = Scenarios.UniqueEmail();
        var onboarded = (await (await admin.PostAsJsonAsync("/api/therapists", Body(email: email), Cancel))
            .Content.ReadFromJsonAsync<OnboardedTherapist>(ClinicApp.Json, Cancel))!;

        var wrong = await app.Anonymous().PostAsJsonAsync("/api/account/password",
            new { email, token = "made-up", newPassword = "a-new-password-1" }, Cancel);
        wrong.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var first = await app.Anonymous().PostAsJsonAsync("/api/account/password",
            new { email, token = onboarded.PasswordSetupToken, newPassword = "a-new-password-1" }, Cancel);
        first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var again = await app.Anonymous().PostAsJsonAsync("/api/account/password",
            new { email, token = onboarded.PasswordSetupToken, newPassword = "another-password-2" }, Cancel);
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }
}
