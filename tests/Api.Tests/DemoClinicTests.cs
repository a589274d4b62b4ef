using System.Net.Http.Json;
using EventSourcedClinic.Demo;
using EventSourcedClinic.Api.Therapists.Directory;

namespace EventSourcedClinic.Api.Tests;

public class DemoClinicTests(ClinicApp app)
{
    [Fact]
    public async Task the_demo_clinic_seeds_once_through_the_clinic_rules_and_its_polish_cbt_therapists_are_found()
    {
        (await DemoClinic.SeedAsync(app.Services, TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await DemoClinic.SeedAsync(app.Services, TestContext.Current.CancellationToken)).ShouldBeFalse();

        using var admin = app.As(await app.PasswordToken(DemoClinic.AdminEmail, DemoClinic.Password));
        var found = await admin.GetFromJsonAsync<DirectoryPage>("/api/directory/therapists?language=pl&method=cbt&pageSize=100",
            ClinicApp.Json, TestContext.Current.CancellationToken);

        found!.Items.Select(t => t.FullName).ShouldContain("Dr Anna Nowak");
        found.Items.Select(t => t.FullName).ShouldContain("Tomasz Wiśniewski");
        found.Items.Select(t => t.FullName).ShouldNotContain("Dr Marek Kowalski");
        var welsh = await admin.GetFromJsonAsync<DirectoryPage>("/api/directory/therapists?language=cy&method=emdr", ClinicApp.Json,
            TestContext.Current.CancellationToken);
        welsh!.Items.Select(t => t.FullName).ShouldContain("Rhiannon Jones");

        var today = EventSourcedClinic.Domain.UkTime.Today(app.Clock.GetUtcNow());
        var tuesday = today.AddDays(((int)DayOfWeek.Tuesday - (int)today.DayOfWeek + 7) % 7 + 7);
        var slots = await admin.GetFromJsonAsync<EventSourcedClinic.Api.Scheduling.Slots.SlotPage>(
            $"/api/directory/slots?language=cy&method=emdr&from={tuesday:yyyy-MM-dd}&to={tuesday:yyyy-MM-dd}&timeOfDay=morning",
            ClinicApp.Json, TestContext.Current.CancellationToken);
        slots!.Items.ShouldContain(i => i.Therapist.FullName == "Rhiannon Jones");

        using var imran = app.As(await app.PasswordToken("imran.qureshi@demo.clinic", DemoClinic.Password));
        var caseload = await imran.GetFromJsonAsync<EventSourcedClinic.Api.Clinical.Outcomes.Caseload>("/api/caseload", ClinicApp.Json,
            TestContext.Current.CancellationToken);
        var amira = caseload!.Patients.ShouldHaveSingleItem();
        amira.TalkingTherapies.Recovery.ShouldBeTrue();
        amira.LatestPhq9.ShouldBe(4);
        var notes = await imran.GetFromJsonAsync<EventSourcedClinic.Domain.Clinical.SessionNotes.SessionNote[]>(
            $"/api/patients/{amira.PatientId}/notes", ClinicApp.Json, TestContext.Current.CancellationToken);
        notes!.Length.ShouldBe(6);
        notes.ShouldAllBe(n => n.Status == EventSourcedClinic.Domain.Clinical.SessionNotes.NoteStatus.Signed);

        // A month ago Amira was two weeks into her course: two sessions' scores and notes, not yet recovered.
        var monthAgo = Uri.EscapeDataString(app.Clock.GetUtcNow().AddDays(-30).ToString("O"));
        var then = (await imran.GetFromJsonAsync<EventSourcedClinic.Api.Clinical.Record.RecordAsOf>(
            $"/api/patients/{amira.PatientId}/record?asOf={monthAgo}", ClinicApp.Json, TestContext.Current.CancellationToken))!;
        // Sessions 6 and 5 weeks ago, and the one 4 weeks ago when a weekend moved it back to 30 days: a PHQ-9 and a GAD-7 each.
        then.Outcomes.Length.ShouldBeOneOf(4, 6);
        then.TalkingTherapies.Recovery.ShouldBeFalse();
        then.Notes.Length.ShouldBeLessThan(6);
        then.ConsentsInForce.ShouldContain(EventSourcedClinic.Domain.Clinical.Consent.ConsentScope.ShareWithNhsTalkingTherapies);
        var history = await imran.GetFromJsonAsync<EventSourcedClinic.Domain.Clinical.History.HistoryEntry[]>(
            $"/api/patients/{amira.PatientId}/history", ClinicApp.Json, TestContext.Current.CancellationToken);
        history!.Select(h => h.Kind).ShouldBe([EventSourcedClinic.Domain.Clinical.History.HistoryKind.Intake,
            EventSourcedClinic.Domain.Clinical.History.HistoryKind.Condition, EventSourcedClinic.Domain.Clinical.History.HistoryKind.RiskAssessment]);

        using var asAmira = app.As(await app.PasswordToken("amira.khan@demo.clinic", DemoClinic.Password));
        var summary = await asAmira.GetFromJsonAsync<EventSourcedClinic.Api.Clinical.Summary.PatientSummary>("/api/patients/me/summary", ClinicApp.Json,
            TestContext.Current.CancellationToken);
        summary!.LatestPhq9!.Total.ShouldBe(4);
        summary.TalkingTherapies.Recovery.ShouldBeTrue();
        summary.Patient.GivenName.ShouldBe("Amira");
        using var rhiannon = app.As(await app.PasswordToken("rhiannon.jones@demo.clinic", DemoClinic.Password));
        var sian = (await rhiannon.GetFromJsonAsync<EventSourcedClinic.Api.Clinical.Outcomes.Caseload>("/api/caseload", ClinicApp.Json,
            TestContext.Current.CancellationToken))!.Patients.ShouldHaveSingleItem();
        sian.RiskFlag.ShouldBeTrue();
        sian.TalkingTherapies.Recovery.ShouldBeFalse();

        // The compliance officer's walk-through: a break-glass read to find, and a former patient outside retention to erase.
        using var dpo = app.As(await app.PasswordToken(DemoClinic.ComplianceEmail, DemoClinic.Password));
        var review = await dpo.GetFromJsonAsync<EventSourcedClinic.Api.Compliance.BreakGlassReview>("/api/compliance/break-glass?limit=1000",
            ClinicApp.Json, TestContext.Current.CancellationToken);
        review!.Accesses.ShouldContain(a => a.PatientId == sian.PatientId && a.Reason!.StartsWith("Covering the crisis line"));
        var owen = await dpo.GetFromJsonAsync<EventSourcedClinic.Api.Compliance.FoundPatient>("/api/compliance/patients?email=owen.hughes@demo.clinic",
            ClinicApp.Json, TestContext.Current.CancellationToken);
        var erased = await dpo.PostAsJsonAsync($"/api/compliance/patients/{owen!.PatientId}/erasure", new { reason = "Written request received 1 March" },
            TestContext.Current.CancellationToken);
        erased.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await erased.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var receipt = await erased.Content.ReadFromJsonAsync<EventSourcedClinic.Domain.Compliance.PatientErased>(ClinicApp.Json, TestContext.Current.CancellationToken);
        receipt!.LastContact!.Value.Year.ShouldBe(app.Clock.GetUtcNow().Year - 22);
        (await dpo.PostAsJsonAsync($"/api/compliance/patients/{sian.PatientId}/erasure", new { reason = "Written request received 1 March" },
            TestContext.Current.CancellationToken)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Conflict);
    }
}
