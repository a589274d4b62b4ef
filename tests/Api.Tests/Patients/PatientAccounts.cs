using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Patients.Registration;

namespace EventSourcedClinic.Api.Tests;

public static class PatientAccounts
{
    public sealed record PatientAccount(Guid Id, string Email, string Password);

    public static async Task<PatientAccount> Register(ClinicApp app, string? nhsNumber = null)
    {
        var email = Scenarios.UniqueEmail("patient");
        const string password = "patient-password-1";
        var response = await app.Anonymous().PostAsJsonAsync("/api/patients",
            new { givenName = "Test", familyName = "Patient", dateOfBirth = "1990-05-17", email, password, nhsNumber },
            TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        var registered = System.Text.Json.JsonSerializer.Deserialize<RegisteredPatient>(body, ClinicApp.Json)!;
        return new PatientAccount(registered.PatientId, email, password);
    }
}
