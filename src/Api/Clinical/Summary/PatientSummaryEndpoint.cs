using EventSourcedClinic.Api.Clinical.Outcomes;
using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Clinical;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Clinical.Summary;

/// <summary>The patient's own summary: who the clinic has them as, what is next, where their care stands.</summary>
public static class PatientSummaryEndpoint
{
    [WolverineGet("/api/patients/me/summary"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<PatientSummary>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session, AccessLog accessLog, TimeProvider time, CancellationToken cancellation)
    {
        var patientId = Actor.From(http.User).UserId!.Value;
        var patient = await session.Events.AggregateStreamAsync<Patient>(patientId, token: cancellation);
        if (patient is null)
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        var now = time.GetUtcNow();
        var upcoming = await session.Query<CalendarEntry>()
            .Where(e => e.PatientId == patientId && e.End > now
                        && (e.Status == AppointmentStatus.Held || e.Status == AppointmentStatus.Confirmed || e.Status == AppointmentStatus.Started))
            .OrderBy(e => e.Start).Take(3).ToListAsync(cancellation);
        var episode = (await session.Query<CareEpisode>().Where(e => e.PatientId == patientId).ToListAsync(cancellation))
            .Where(e => e.IsOpen).OrderByDescending(e => e.ReferredAt).FirstOrDefault();
        var measures = OutcomeViews.CurrentCourse((await session.LoadAsync<OutcomeHistory>(RecordOutcome.StreamId(patientId), cancellation))?.Measures ?? []);
        var consents = await session.LoadAsync<ConsentRecord>(ConsentRecord.StreamId(patientId), cancellation);
        var releasedNotes = await session.Query<SessionNote>()
            .CountAsync(n => n.PatientId == patientId && n.ReleasedToPatient && n.Status == NoteStatus.Signed, cancellation);

        var receipts = await Payments.ReceiptEndpoint.ForPatientAsync(session, patientId, cancellation);
        await accessLog.RecordAsync(http, new PatientRead(patientId, AccessPurpose.PatientAccess, null,
        [
            (RecordTypes.Patient, patientId), (RecordTypes.Outcomes, RecordOutcome.StreamId(patientId)), (RecordTypes.Consent, ConsentRecord.StreamId(patientId)),
            .. upcoming.Select(a => (RecordTypes.Appointment, a.Id)), .. episode is null ? [] : new[] { (RecordTypes.CareEpisode, episode.Id) },
            .. receipts.Select(r => (RecordTypes.Payment, Domain.Payments.Payment.StreamId(r.AppointmentId))),
        ]), cancellation);
        return Results.Ok(new PatientSummary(
            Patients.PatientView.From(patient), upcoming.Select(Scheduling.AppointmentView.From).ToArray(), episode is null ? null : CareEpisodeView.From(episode),
            measures.LastOrDefault(m => m.Questionnaire == Questionnaire.Phq9) is { } phq ? OutcomeEntryView.From(phq) : null,
            measures.LastOrDefault(m => m.Questionnaire == Questionnaire.Gad7) is { } gad ? OutcomeEntryView.From(gad) : null,
            EpisodeOutcomeView.From(OutcomeViews.Measures(measures)),
            consents?.InForceAt(now) ?? [],
            releasedNotes,
            receipts.Select(r => new ReceiptLine(r.Number, r.PaidAt, r.AppointmentId, r.AmountPence, r.NetPence, $"/api/appointments/{r.AppointmentId}/receipt"))
                .ToArray()));
    }
}

public sealed record PatientSummary(
    Patients.PatientView Patient,
    Scheduling.AppointmentView[] NextAppointments,
    CareEpisodeView? OpenEpisode,
    OutcomeEntryView? LatestPhq9,
    OutcomeEntryView? LatestGad7,
    EpisodeOutcomeView TalkingTherapies,
    ConsentScope[] ConsentsInForce,
    int NotesReleasedToYou,
    ReceiptLine[] Receipts);

/// <summary>A receipt for a session paid for, newest first; the whole receipt (JSON, or a printable page with ?format=html) is at its address.</summary>
public sealed record ReceiptLine(string Number, DateTimeOffset PaidAt, Guid AppointmentId, int AmountPence, int NetPence, string Url);
