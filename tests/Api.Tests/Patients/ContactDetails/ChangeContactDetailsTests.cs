using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Patients.ContactDetails;

namespace EventSourcedClinic.Api.Tests.Patients.ContactDetails;

public class ChangeContactDetailsTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object Details(long version, string postcode = "CF10 1AA", string ods = "W97001", string language = "cy") => new
    {
        expectedVersion = version, phone = "+44 29 2000 0000",
        address = new { line1 = "1 Heol y Frenhines", town = "Caerdydd", postcode },
        gpPracticeOdsCode = ods,
        emergencyContact = new { name = "Dafydd Evans", phone = "07700 900123", relationship = "brother" },
        preferredLanguage = language,
    };

    [Fact]
    public async Task a_patient_gives_contact_details_and_sees_them_back()
    {
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        var before = app.Clock.GetUtcNow();

        var response = await asPatient.PutAsJsonAsync($"/api/patients/{patient.Id}/contact-details", Details(1, postcode: "cf10 1aa"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        var me = await asPatient.GetFromJsonAsync<JsonElement>("/api/patients/me", Cancel);
        me.GetProperty("contact").GetProperty("postcode").GetString().ShouldBe("CF10 1AA");
        me.GetProperty("contact").GetProperty("emergencyContactName").GetString().ShouldBe("Dafydd Evans");
        me.GetProperty("contact").GetProperty("gpPracticeOdsCode").GetString().ShouldBe("W97001");
        var e = (await Scenarios.Events(app, patient.Id)).Last();
        e.Data.ShouldBeOfType<PatientContactDetailsChanged>().PreferredLanguage.ShouldBe("cy");
        AuditAssertions.StampedBy(e, patient.Id.ToString(), ClinicRoles.Patient, null, before, app.Clock);
    }

    [Theory]
    [InlineData("NOT A CODE", "W97001", "postcode")]
    [InlineData("CF10 1AA", "GP123", "ods-code")]
    public async Task a_bad_postcode_or_ods_code_is_a_422(string postcode, string ods, string rule)
    {
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));

        var response = await asPatient.PutAsJsonAsync($"/api/patients/{patient.Id}/contact-details", Details(1, postcode, ods), Cancel);

        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe(rule);
    }

    [Fact]
    public async Task an_unknown_language_is_a_400_a_stale_version_a_409_and_another_patient_a_404()
    {
        var patient = await PatientAccounts.Register(app);
        var other = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        using var asOther = app.As(await app.PasswordToken(other.Email, other.Password));
        var url = $"/api/patients/{patient.Id}/contact-details";

        (await asPatient.PutAsJsonAsync(url, Details(1, language: "klingon"), Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await asPatient.PutAsJsonAsync(url, Details(5), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await asOther.PutAsJsonAsync(url, Details(1), Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Scenarios.Events(app, patient.Id)).Count.ShouldBe(1);
    }
}
