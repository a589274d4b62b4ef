using System.Net;
using System.Net.Http.Json;
using Marten;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Clinical;

/// <summary>
/// Two patients, each with their own therapist: every clinical endpoint is tried by each party with the other
/// patient's ids. A patient is told the record does not exist; a therapist outside the care team is refused.
/// Nothing is written.
/// </summary>
public class WrongPatientSweepTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task every_clinical_endpoint_refuses_the_other_patients_ids()
    {
        var (a, aPatient, aTherapist, aAppointment) = await PatientWithTherapist();
        var (b, bPatient, bTherapist, _) = await PatientWithTherapist();
        (await aTherapist.PostAsJsonAsync($"/api/appointments/{aAppointment}/note", new { text = "A's note" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var referral = await aPatient.PostAsJsonAsync($"/api/patients/{a}/referrals", new { source = "selfReferral", presentingProblem = "A's worry" }, Cancel);
        var aEpisode = (await referral.Content.ReadFromJsonAsync<Api.Clinical.Episodes.OpenedEpisode>(ClinicApp.Json, Cancel))!.EpisodeId;
        var before = await VersionsOf(a, aAppointment) + (await Scenarios.Events(app, aEpisode)).Count;

        var reads = new[]
        {
            $"/api/patients/{a}/outcomes", $"/api/patients/{a}/notes", $"/api/patients/{a}/consents", $"/api/patients/{a}/history",
            $"/api/patients/{a}/record", $"/api/patients/{a}/episodes", $"/api/appointments/{aAppointment}/note", $"/api/appointments/{aAppointment}",
            $"/api/appointments/{aAppointment}/ics",
        };
        foreach (var url in reads)
        {
            (await bPatient.GetAsync(url, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"patient B read {url}");
            (await bTherapist.GetAsync(url, Cancel)).StatusCode.ShouldBeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.NotFound], $"therapist B read {url}");
        }

        var writes = new (string Url, object Body)[]
        {
            ($"/api/patients/{a}/outcomes", new { questionnaire = "phq9", answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 } }),
            ($"/api/patients/{a}/consents", new { scope = "treatment", given = true, policyVersion = "v1" }),
            ($"/api/patients/{a}/history", new { kind = "intake", summary = "x" }),
            ($"/api/patients/{a}/referrals", new { source = "selfReferral", presentingProblem = "x" }),
            ($"/api/appointments/{aAppointment}/note/addenda", new { expectedVersion = 1, text = "x" }),
            ($"/api/appointments/{aAppointment}/note/signature", new { expectedVersion = 1 }),
            ($"/api/appointments/{aAppointment}/cancellation", new { expectedVersion = 2, reason = "x" }),
            ($"/api/appointments/{aAppointment}/note/entered-in-error", new { expectedVersion = 1, reason = "x" }),
            ($"/api/appointments/{aAppointment}/note/release", new { expectedVersion = 1 }),
            ($"/api/episodes/{aEpisode}/assessment", new { expectedVersion = 1, suitableForTreatment = true }),
            ($"/api/episodes/{aEpisode}/treatment", new { expectedVersion = 1 }),
            ($"/api/episodes/{aEpisode}/discharge", new { expectedVersion = 1, reason = "droppedOut" }),
            ($"/api/patients/{a}/history/{Guid.CreateVersion7()}/entered-in-error", new { reason = "x" }),
        };
        foreach (var (url, body) in writes)
        {
            ((int)(await bPatient.PostAsJsonAsync(url, body, Cancel)).StatusCode).ShouldBeOneOf([403, 404], $"patient B wrote {url}");
            ((int)(await bTherapist.PostAsJsonAsync(url, body, Cancel)).StatusCode).ShouldBeOneOf([403, 404], $"therapist B wrote {url}");
        }

        ((int)(await bPatient.PutAsJsonAsync($"/api/patients/{a}/contact-details", new { expectedVersion = 1 }, Cancel)).StatusCode).ShouldBe(404);
        ((int)(await bTherapist.PutAsJsonAsync($"/api/appointments/{aAppointment}/note", new { expectedVersion = 1, text = "x" }, Cancel)).StatusCode).ShouldBeOneOf([403, 404]);
        (await VersionsOf(a, aAppointment) + (await Scenarios.Events(app, aEpisode)).Count).ShouldBe(before);
        (await aPatient.GetAsync($"/api/patients/{a}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _ = b;
    }

    private async Task<(Guid PatientId, HttpClient AsPatient, HttpClient AsTherapist, Guid AppointmentId)> PatientWithTherapist()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var admin = await app.AsAdmin();
        var start = LondonInDays(app, 2, 17);
        var booked = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId = patient.Id, funding = "nhs" });
        booked.StatusCode.ShouldBe(HttpStatusCode.Created);
        var appointmentId = (await booked.Content.ReadFromJsonAsync<Api.Scheduling.Booking.BookedAppointment>(ClinicApp.Json, Cancel))!.AppointmentId;
        return (patient.Id, app.As(await app.PasswordToken(patient.Email, patient.Password)),
            app.As(await app.PasswordToken(therapist.Email, therapist.Password)), appointmentId);
    }

    private async Task<long> VersionsOf(Guid patientId, Guid appointmentId)
    {
        // The sum of the versions of every stream of patient A's record, and A's episodes: any write by B would raise it.
        await using var session = app.Store.QuerySession();
        long total = 0;
        foreach (var id in new[]
                 {
                     patientId, appointmentId, Domain.Clinical.Outcomes.RecordOutcome.StreamId(patientId), Domain.Clinical.Consent.ConsentRecord.StreamId(patientId),
                     Domain.Clinical.History.ClinicalHistory.StreamId(patientId), Domain.Clinical.SessionNotes.SessionNote.StreamId(appointmentId),
                 })
        {
            total += (await session.Events.FetchStreamStateAsync(id, Cancel))?.Version ?? 0;
        }

        return total + await session.Query<Domain.Clinical.Episodes.CareEpisode>().CountAsync(e => e.PatientId == patientId, Cancel);
    }
}
