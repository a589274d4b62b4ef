using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Clinical.Record;
using EventSourcedClinic.Demo;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Clinical;

public class RecordAsOfTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_record_is_shown_as_it_stood_at_an_earlier_instant()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        await Booked(asPatient, therapist.Id, LondonInDays(app, 3, 12));
        var record = $"/api/patients/{patient.Id}/record";
        (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/outcomes", new { questionnaire = "phq9", answers = new[] { 3, 3, 3, 3, 3, 0, 0, 0, 0 } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        // The instant the first score was recorded (as stored): the record then held it and not the second.
        var between = (await Scenarios.Events(app, Domain.Clinical.Outcomes.RecordOutcome.StreamId(patient.Id)))[^1].Timestamp;
        (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/outcomes", new { questionnaire = "phq9", answers = new[] { 1, 1, 1, 1, 1, 0, 0, 0, 0 } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var now = (await asPatient.GetFromJsonAsync<RecordAsOf>(record, ClinicApp.Json, Cancel))!;
        var then = (await asPatient.GetFromJsonAsync<RecordAsOf>($"{record}?asOf={Uri.EscapeDataString(between.ToString("O"))}", ClinicApp.Json, Cancel))!;

        now.Outcomes.Select(o => o.Total).ShouldBe([15, 5]);
        then.Outcomes.Select(o => o.Total).ShouldBe([15]);
        then.Patient.Id.ShouldBe(patient.Id);
        (await asPatient.GetAsync($"{record}?asOf={Uri.EscapeDataString(between.AddDays(-30).ToString("O"))}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var therapistClient = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        (await therapistClient.GetAsync(record, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var stranger = await PatientAccounts.Register(app);
        (await app.As(await app.PasswordToken(stranger.Email, stranger.Password)).GetAsync(record, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
