using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Patients.Registration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedClinic.Api.Tests.Patients.Registration;

public class RegisterPatientTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object Body(string email, string? nhs = null, string dob = "1990-05-17", string password = "patient-password-1") =>
        new { givenName = "Amira", familyName = "Khan", dateOfBirth = dob, email, password, nhsNumber = nhs ?? Scenarios.NhsNumber() };

    [Fact]
    public async Task a_person_registers_and_signs_in_as_a_patient_of_their_own_record()
    {
        var email = Scenarios.UniqueEmail();
        var nhs = Scenarios.NhsNumber();
        var before = app.Clock.GetUtcNow();

        var response = await app.Anonymous().PostAsJsonAsync("/api/patients", Body(email, $"{nhs[..3]} {nhs[3..6]} {nhs[6..]}"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var registered = (await response.Content.ReadFromJsonAsync<Api.Patients.Registration.RegisteredPatient>(ClinicApp.Json, Cancel))!;
        response.Headers.Location!.ToString().ShouldBe($"/api/patients/{registered.PatientId}");
        var e = (await Scenarios.Events(app, registered.PatientId)).ShouldHaveSingleItem();
        e.Data.ShouldBeOfType<PatientRegistered>().NhsNumber!.Value.Value.ShouldBe(nhs);
        AuditAssertions.StampedBy(e, registered.PatientId.ToString(), ClinicRoles.Patient, null, before, app.Clock, clientId: null);

        using var patient = app.As(await app.PasswordToken(email, "patient-password-1"));
        var me = await patient.GetFromJsonAsync<Domain.Patients.Patient>("/api/patients/me", ClinicApp.Json, Cancel);
        me!.Id.ShouldBe(registered.PatientId);
        me.Email.Value.ShouldBe(email);
    }

    [Theory]
    [InlineData("9434765918")]
    [InlineData("1234")]
    [InlineData("1000000010")]
    public async Task an_invalid_nhs_number_is_a_422_and_nothing_is_written(string nhs)
    {
        var email = Scenarios.UniqueEmail();

        var response = await app.Anonymous().PostAsJsonAsync("/api/patients", Body(email, nhs), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe("nhs-number");
        await using var scope = app.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByEmailAsync(email)).ShouldBeNull();
    }

    [Fact]
    public async Task a_minor_is_a_422()
    {
        var dob = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).AddYears(-17).ToString("yyyy-MM-dd");

        var response = await app.Anonymous().PostAsJsonAsync("/api/patients", Body(Scenarios.UniqueEmail(), dob: dob), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe("minimum-age");
    }

    [Theory]
    [InlineData("{\"givenName\":\"A\",\"familyName\":\"B\",\"dateOfBirth\":\"17/05/1990\",\"email\":\"a@b.org\",\"password\":\"long-enough-1\"}")]
    [InlineData("{\"givenName\":\"A\",\"familyName\":\"B\",\"dateOfBirth\":\"1990-05-17\",\"email\":\"a@b.org\",\"password\":12345678901}")]
    [InlineData("not json at all")]
    public async Task malformed_registrations_are_a_400(string json)
    {
        var response = await app.Anonymous().PostAsync("/api/patients", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("password", "short")]
    [InlineData("email", "")]
    [InlineData("givenName", "")]
    public async Task missing_fields_are_a_400_naming_them(string field, string value)
    {
        var body = new Dictionary<string, object?>
        {
            ["givenName"] = "A", ["familyName"] = "B", ["dateOfBirth"] = "1990-05-17", ["email"] = Scenarios.UniqueEmail(),
            ["password"] = "long-enough-password",
        };
        body[field] = value;

        var response = await app.Anonymous().PostAsJsonAsync("/api/patients", body, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(response)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task many_registrations_with_one_email_at_once_make_exactly_one_patient()
    {
        var email = Scenarios.UniqueEmail();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.Anonymous().PostAsJsonAsync("/api/patients", Body(email), Cancel)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(19);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            (await Scenarios.Problem(conflict)).GetProperty("rule").GetString().ShouldBe("email-taken");
        }

        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var users = new Npgsql.NpgsqlCommand("select count(*) from identity.\"AspNetUsers\" where \"NormalizedEmail\" = upper($1)", connection);
        users.Parameters.AddWithValue(email);
        ((long)(await users.ExecuteScalarAsync(Cancel))!).ShouldBe(1);
        var created = (await responses.Single(r => r.StatusCode == HttpStatusCode.Created).Content
            .ReadFromJsonAsync<Api.Patients.Registration.RegisteredPatient>(ClinicApp.Json, Cancel))!;
        (await Scenarios.Events(app, created.PatientId)).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("o'neill")]
    [InlineData("zoë.brontë")]
    public async Task e_mail_addresses_with_apostrophes_or_accents_register(string local)
    {
        var email = $"{local}.{Guid.NewGuid():N}@tests.clinic";

        var response = await app.Anonymous().PostAsJsonAsync("/api/patients", Body(email), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        (await app.PasswordToken(email, "patient-password-1")).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task the_nhs_number_may_be_left_out()
    {
        var response = await app.Anonymous().PostAsJsonAsync("/api/patients", new
        {
            givenName = "No", familyName = "Number", dateOfBirth = "1980-01-01", email = Scenarios.UniqueEmail(), password = "patient-password-1",
        }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task an_nhs_number_already_registered_is_a_409_and_leaves_no_account()
    {
        var nhs = Scenarios.NhsNumber();
        (await app.Anonymous().PostAsJsonAsync("/api/patients", Body(Scenarios.UniqueEmail(), nhs), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var second = Scenarios.UniqueEmail();

        var response = await app.Anonymous().PostAsJsonAsync("/api/patients", Body(second, nhs), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe("nhs-number-registered");
        await using var scope = app.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByEmailAsync(second)).ShouldBeNull();
    }

    [Fact]
    public async Task a_therapist_has_no_patient_record_of_their_own()
    {
        var therapist = await Scenarios.Onboard(app);

        var response = await app.As(await app.PasswordToken(therapist.Email, therapist.Password)).GetAsync("/api/patients/me", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
