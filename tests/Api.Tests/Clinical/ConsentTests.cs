using System.Text.Json;
using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Clinical.Consent;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Clinical.Consent;

namespace EventSourcedClinic.Api.Tests.Clinical;

public class ConsentTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_patient_gives_and_withdraws_consent_and_the_consent_in_force_follows_the_time_asked_about()
    {
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        var consents = $"/api/patients/{patient.Id}/consents";
        var before = app.Clock.GetUtcNow();

        (await asPatient.PostAsJsonAsync(consents, new { scope = "shareWithNhsTalkingTherapies", given = true, policyVersion = "2027-01" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = await asPatient.PostAsJsonAsync(consents, new { scope = "treatment", given = true, policyVersion = "2027-01" }, Cancel);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("version").GetInt64().ShouldBe(2);
        // The instant the treatment consent was recorded: sharing was in force then, and is withdrawn after it.
        var whileShared = (await Scenarios.Events(app, ConsentRecord.StreamId(patient.Id)))[^1].Timestamp;
        (await asPatient.PostAsJsonAsync(consents, new { scope = "shareWithNhsTalkingTherapies", given = false, policyVersion = "2027-01" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var now = (await asPatient.GetFromJsonAsync<PatientConsents>(consents, ClinicApp.Json, Cancel))!;
        now.InForce.ShouldBe([ConsentScope.Treatment]);
        now.History.Length.ShouldBe(3);
        var then = (await asPatient.GetFromJsonAsync<PatientConsents>($"{consents}?at={Uri.EscapeDataString(whileShared.ToString("O"))}", ClinicApp.Json, Cancel))!;
        then.InForce.ShouldBe([ConsentScope.Treatment, ConsentScope.ShareWithNhsTalkingTherapies], ignoreOrder: true);
        var earlier = (await asPatient.GetFromJsonAsync<PatientConsents>($"{consents}?at={Uri.EscapeDataString(before.AddMinutes(-1).ToString("O"))}", ClinicApp.Json, Cancel))!;
        earlier.InForce.ShouldBeEmpty();

        var events = await Scenarios.Events(app, ConsentRecord.StreamId(patient.Id));
        events.Count.ShouldBe(3);
        AuditAssertions.StampedBy(events[^1], patient.Id.ToString(), ClinicRoles.Patient, null, before, app.Clock);
    }

    [Fact]
    public async Task only_the_patient_decides_and_bad_scopes_or_withdrawals_of_nothing_are_refused()
    {
        var patient = await PatientAccounts.Register(app);
        var other = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        using var asOther = app.As(await app.PasswordToken(other.Email, other.Password));
        var consents = $"/api/patients/{patient.Id}/consents";

        (await asOther.PostAsJsonAsync(consents, new { scope = "treatment", given = true, policyVersion = "v1" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asOther.GetAsync(consents, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await app.AsAdmin()).PostAsJsonAsync(consents, new { scope = "treatment", given = true, policyVersion = "v1" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asPatient.PostAsJsonAsync(consents, new { scope = "everything", given = true, policyVersion = "v1" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await asPatient.PostAsJsonAsync(consents, new { scope = "treatment", given = true, policyVersion = "" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var nothing = await asPatient.PostAsJsonAsync(consents, new { scope = "sessionRecording", given = false, policyVersion = "v1" }, Cancel);
        (await Scenarios.Problem(nothing)).GetProperty("rule").GetString().ShouldBe("nothing-to-withdraw");
        (await asPatient.GetAsync($"{consents}?at=yesterday", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
