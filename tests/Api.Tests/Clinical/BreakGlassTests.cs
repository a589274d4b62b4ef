using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Clinical;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Domain.Compliance;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Clinical;

public class BreakGlassTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_clinician_outside_the_care_team_reads_with_a_stated_reason_and_compliance_sees_the_flag()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        await Booked(asPatient, therapist.Id, LondonInDays(app, 3, 16));
        var outsider = await Scenarios.Onboard(app);
        using var asOutsider = app.As(await app.PasswordToken(outsider.Email, outsider.Password));
        var outcomes = $"/api/patients/{patient.Id}/outcomes";
        var reason = $"Covering crisis call {Scenarios.UniqueWord()}";

        (await asOutsider.GetAsync(outcomes, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using (var tooShort = new HttpRequestMessage(HttpMethod.Get, outcomes))
        {
            tooShort.Headers.Add(PatientAccess.BreakGlassHeader, "urgent");
            (await asOutsider.SendAsync(tooShort, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, outcomes);
        request.Headers.Add(PatientAccess.BreakGlassHeader, reason);
        (await asOutsider.SendAsync(request, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var writing = new HttpRequestMessage(HttpMethod.Post, outcomes) { Content = JsonContent.Create(new { questionnaire = "gad7", answers = new[] { 0, 0, 0, 0, 0, 0, 0 } }) };
        writing.Headers.Add(PatientAccess.BreakGlassHeader, reason);
        (await asOutsider.SendAsync(writing, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var review = (await (await app.AsCompliance()).GetFromJsonAsync<BreakGlassReview>("/api/compliance/break-glass", ClinicApp.Json, Cancel))!;
        var flagged = review.Accesses.Where(a => a.Reason == reason).ShouldHaveSingleItem();
        flagged.PatientId.ShouldBe(patient.Id);
        flagged.AccessorId.ShouldBe(outsider.Id.ToString());
        flagged.Purpose.ShouldBe(AccessPurpose.BreakGlass);
        flagged.Flagged.ShouldBeTrue();
        flagged.Request.ShouldBe($"GET {outcomes}");
        (await (await app.AsAdmin()).GetAsync("/api/compliance/break-glass", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
