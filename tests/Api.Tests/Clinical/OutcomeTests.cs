using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Clinical.Outcomes;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Clinical;

public class OutcomeTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record CareSetting(PatientAccounts.PatientAccount Patient, HttpClient AsPatient, Scenarios.TherapistAccount Therapist, HttpClient AsTherapist);

    private async Task<CareSetting> PatientInCare()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        await Booked(asPatient, therapist.Id, LondonInDays(app, 3, 10));
        return new CareSetting(patient, asPatient, therapist, app.As(await app.PasswordToken(therapist.Email, therapist.Password)));
    }

    private static object Phq9(params int[] answers) => new { questionnaire = "phq9", answers, total = 0, severity = "minimal" };

    [Fact]
    public async Task a_patient_records_a_phq9_and_the_server_scores_it_ignoring_any_total_sent()
    {
        var care = await PatientInCare();
        var before = app.Clock.GetUtcNow();

        var response = await care.AsPatient.PostAsJsonAsync($"/api/patients/{care.Patient.Id}/outcomes", Phq9(2, 2, 2, 2, 2, 1, 1, 1, 1), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        var recorded = (await response.Content.ReadFromJsonAsync<RecordedOutcome>(ClinicApp.Json, Cancel))!;
        recorded.Total.ShouldBe(14);
        recorded.Severity.ShouldBe("moderate");
        recorded.RiskFlag.ShouldBeTrue();
        var e = (await Scenarios.Events(app, RecordOutcome.StreamId(care.Patient.Id))).ShouldHaveSingleItem();
        e.Data.ShouldBeOfType<OutcomeRecorded>().Total.ShouldBe(14);
        AuditAssertions.StampedBy(e, care.Patient.Id.ToString(), ClinicRoles.Patient, null, before, app.Clock);
    }

    [Theory]
    [InlineData("phq9", new[] { 1, 1, 1 }, "item-count")]
    [InlineData("gad7", new[] { 0, 0, 0, 0, 0, 0, 4 }, "answer-range")]
    [InlineData("wsas", new[] { 0, 0, 0, 0, 9 }, "answer-range")]
    public async Task wrong_counts_and_out_of_range_answers_are_a_422(string questionnaire, int[] answers, string rule)
    {
        var care = await PatientInCare();

        var response = await care.AsPatient.PostAsJsonAsync($"/api/patients/{care.Patient.Id}/outcomes", new { questionnaire, answers }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe(rule);
        (await Scenarios.Events(app, RecordOutcome.StreamId(care.Patient.Id))).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{\"questionnaire\":\"beck\",\"answers\":[1,2]}")]
    [InlineData("{\"questionnaire\":\"phq9\",\"answers\":\"all threes\"}")]
    [InlineData("{\"questionnaire\":\"phq9\"}")]
    public async Task malformed_questionnaires_are_a_400(string json)
    {
        var care = await PatientInCare();

        var response = await care.AsPatient.PostAsync($"/api/patients/{care.Patient.Id}/outcomes",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task another_patients_outcomes_are_not_found_and_a_therapist_outside_the_care_team_is_refused()
    {
        var care = await PatientInCare();
        var other = await PatientInCare();

        (await other.AsPatient.GetAsync($"/api/patients/{care.Patient.Id}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.AsPatient.PostAsJsonAsync($"/api/patients/{care.Patient.Id}/outcomes", Phq9(0, 0, 0, 0, 0, 0, 0, 0, 0), Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.AsTherapist.GetAsync($"/api/patients/{care.Patient.Id}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.AsTherapist.PostAsJsonAsync($"/api/patients/{care.Patient.Id}/outcomes", Phq9(0, 0, 0, 0, 0, 0, 0, 0, 0), Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await app.AsAdmin()).GetAsync($"/api/patients/{care.Patient.Id}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await care.AsTherapist.GetAsync($"/api/patients/{care.Patient.Id}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Scenarios.Events(app, RecordOutcome.StreamId(care.Patient.Id))).ShouldBeEmpty();
    }

    [Fact]
    public async Task the_caseload_shows_latest_scores_change_risk_and_recovery_over_a_course()
    {
        var care = await PatientInCare();
        var weeks = new[] { (Phq: new[] { 2, 2, 2, 2, 2, 2, 2, 2, 1 }, Gad: new[] { 2, 2, 2, 2, 2, 2, 2 }), (Phq: new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 }, Gad: new[] { 1, 1, 1, 1, 1, 1, 1 }), (Phq: new[] { 1, 1, 1, 1, 0, 0, 0, 0, 0 }, Gad: new[] { 1, 1, 1, 0, 0, 0, 0 }) };
        foreach (var (phq, gad) in weeks)
        {
            (await care.AsPatient.PostAsJsonAsync($"/api/patients/{care.Patient.Id}/outcomes", new { questionnaire = "phq9", answers = phq }, Cancel))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
            (await care.AsTherapist.PostAsJsonAsync($"/api/patients/{care.Patient.Id}/outcomes", new { questionnaire = "gad7", answers = gad }, Cancel))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var caseload = (await care.AsTherapist.GetFromJsonAsync<Caseload>("/api/caseload", ClinicApp.Json, Cancel))!;

        var row = caseload.Patients.ShouldHaveSingleItem();
        row.PatientId.ShouldBe(care.Patient.Id);
        row.LatestPhq9.ShouldBe(4);
        row.LatestGad7.ShouldBe(3);
        row.Phq9Change.ShouldBe(-13);
        row.RiskFlag.ShouldBeFalse();
        row.TalkingTherapies.Recovery.ShouldBeTrue();
        row.TalkingTherapies.ReliableRecovery.ShouldBeTrue();
        var own = (await care.AsPatient.GetFromJsonAsync<PatientOutcomes>($"/api/patients/{care.Patient.Id}/outcomes", ClinicApp.Json, Cancel))!;
        own.Measures.Length.ShouldBe(6);
        own.TalkingTherapies.Recovery.ShouldBeTrue();
    }

    [Fact]
    public async Task outcomes_are_judged_per_care_episode_and_only_the_patients_own_episodes_count()
    {
        var care = await PatientInCare();
        var other = await PatientInCare();
        async Task<Guid> Refer(HttpClient client, Guid patientId) => (await (await client.PostAsJsonAsync($"/api/patients/{patientId}/referrals",
            new { source = "selfReferral", presentingProblem = "Worry" }, Cancel)).Content.ReadFromJsonAsync<Api.Clinical.Episodes.OpenedEpisode>(ClinicApp.Json, Cancel))!.EpisodeId;
        var episode = await Refer(care.AsPatient, care.Patient.Id);
        var othersEpisode = await Refer(other.AsPatient, other.Patient.Id);
        var url = $"/api/patients/{care.Patient.Id}/outcomes";

        (await care.AsPatient.PostAsJsonAsync(url, new { questionnaire = "phq9", answers = new[] { 3, 3, 3, 3, 0, 0, 0, 0, 0 }, episodeId = episode }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await care.AsPatient.PostAsJsonAsync(url, new { questionnaire = "phq9", answers = new[] { 1, 0, 0, 0, 0, 0, 0, 0, 0 } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var foreign = await care.AsPatient.PostAsJsonAsync(url, new { questionnaire = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 }, episodeId = othersEpisode }, Cancel);
        (await Scenarios.Problem(foreign)).GetProperty("rule").GetString().ShouldBe("unknown-episode");

        var outcomes = (await care.AsPatient.GetFromJsonAsync<PatientOutcomes>(url, ClinicApp.Json, Cancel))!;
        outcomes.Episodes.Length.ShouldBe(2);
        outcomes.Episodes.Single(e => e.EpisodeId == episode).TalkingTherapies.FirstPhq9.ShouldBe(12);
        outcomes.Episodes.Single(e => e.EpisodeId is null).Count.ShouldBe(1);
    }
}
