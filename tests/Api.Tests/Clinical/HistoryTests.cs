using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Clinical.History;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Clinical.History;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Clinical;

public class HistoryTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(PatientAccounts.PatientAccount Patient, HttpClient AsPatient, Scenarios.TherapistAccount Therapist, HttpClient AsTherapist)> InCare()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        await Booked(asPatient, therapist.Id, LondonInDays(app, 3, 13));
        return (patient, asPatient, therapist, app.As(await app.PasswordToken(therapist.Email, therapist.Password)));
    }

    [Fact]
    public async Task the_care_team_builds_a_history_and_corrections_keep_the_original_visible()
    {
        var (patient, asPatient, therapist, asTherapist) = await InCare();
        var history = $"/api/patients/{patient.Id}/history";
        var before = app.Clock.GetUtcNow();

        (await asPatient.PostAsJsonAsync(history, new { kind = "intake", summary = "Main difficulty: panic on trains" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var condition = await asTherapist.PostAsJsonAsync(history, new { kind = "condition", summary = "Panic disorder", snomedCode = "371631005" }, Cancel);
        condition.StatusCode.ShouldBe(HttpStatusCode.Created);
        var recorded = (await condition.Content.ReadFromJsonAsync<RecordedEntry>(ClinicApp.Json, Cancel))!;
        var conditionId = recorded.EntryId;
        // The version answered is the history stream's own: intake, then this condition.
        recorded.Version.ShouldBe(2);
        (await asTherapist.PostAsJsonAsync(history, new { kind = "riskAssessment", summary = "Reviewed", riskToSelf = "low", riskToOthers = "none", detail = "Call the crisis line; stay with partner" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var amended = await asTherapist.PostAsJsonAsync(history, new { kind = "condition", summary = "Panic disorder with agoraphobia", amendsEntryId = conditionId }, Cancel);
        amended.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await asTherapist.PostAsJsonAsync($"{history}/{conditionId}/entered-in-error", new { reason = "Superseded by the amended diagnosis" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var entries = (await asPatient.GetFromJsonAsync<HistoryEntry[]>(history, ClinicApp.Json, Cancel))!;
        entries.Length.ShouldBe(4);
        var original = entries.Single(e => e.EntryId == conditionId);
        original.EnteredInError.ShouldBeTrue();
        original.Summary.Value.ShouldBe("Panic disorder");
        entries.Single(e => e.Kind == HistoryKind.RiskAssessment).RiskToSelf.ShouldBe(RiskLevel.Low);
        var events = await Scenarios.Events(app, ClinicalHistory.StreamId(patient.Id));
        AuditAssertions.StampedBy(events[1], therapist.Id.ToString(), ClinicRoles.Therapist, null, before, app.Clock);
    }

    [Fact]
    public async Task rules_of_the_history_are_422s_and_strangers_are_kept_out()
    {
        var (patient, asPatient, _, asTherapist) = await InCare();
        var other = await InCare();
        var history = $"/api/patients/{patient.Id}/history";

        (await Scenarios.Problem(await asPatient.PostAsJsonAsync(history, new { kind = "medication", summary = "Sertraline" }, Cancel)))
            .GetProperty("rule").GetString().ShouldBe("clinician-only");
        (await Scenarios.Problem(await asTherapist.PostAsJsonAsync(history, new { kind = "riskAssessment", summary = "x", riskToSelf = "high" }, Cancel)))
            .GetProperty("rule").GetString().ShouldBe("risk-assessment-incomplete");
        (await Scenarios.Problem(await asTherapist.PostAsJsonAsync(history, new { kind = "allergy", summary = "Penicillin", riskToSelf = "low" }, Cancel)))
            .GetProperty("rule").GetString().ShouldBe("risk-levels-out-of-place");
        (await asTherapist.PostAsJsonAsync(history, new { kind = "condition", summary = "x", snomedCode = "not-a-code" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await asTherapist.PostAsJsonAsync(history, new { kind = "condition", summary = "x", amendsEntryId = Guid.CreateVersion7() }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.AsPatient.GetAsync(history, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.AsTherapist.PostAsJsonAsync(history, new { kind = "condition", summary = "x" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Scenarios.Events(app, Domain.Clinical.History.ClinicalHistory.StreamId(patient.Id))).ShouldBeEmpty();
    }
}
