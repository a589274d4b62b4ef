using EventSourcedClinic.Projections;
using EventSourcedClinic.Api.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Projections.Clinical;

namespace EventSourcedClinic.Api.Clinical.Record;

/// <summary>
/// A patient's record as it stood at an instant (default now), rebuilt by replaying each of its streams up to that
/// instant: registration, outcome measures with the NHS Talking Therapies measures, session notes, consents in force.
/// </summary>
public static class PatientRecordEndpoint
{
    [WolverineGet("/api/patients/{patientId}/record"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Compliance}")]
    [ProducesResponseType<RecordAsOf>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        HttpContext http, Guid patientId, DateTimeOffset? asOf, IQuerySession session, PatientAccess access, TimeProvider time,
        CancellationToken cancellation)
    {
        var read = await access.ForReadAsync(http, patientId, session, cancellation);
        if (read.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        var instant = (asOf ?? time.GetUtcNow()).ToUniversalTime();
        var patient = await session.Events.AggregateStreamAsync<Patient>(patientId, timestamp: instant, token: cancellation);
        if (patient is null)
        {
            return Results.Problem(Problems.NotFound("patient record at that time"));
        }

        var outcomes = await session.Events.AggregateStreamAsync<OutcomeHistory>(RecordOutcome.StreamId(patientId), timestamp: instant, token: cancellation);
        var consents = await session.Events.AggregateStreamAsync<ConsentRecord>(ConsentRecord.StreamId(patientId), timestamp: instant, token: cancellation);
        // Every note of the patient's as it stood then, from one query of their events rather than one replay per note.
        var current = (await session.Query<SessionNote>().Where(n => n.PatientId == patientId).ToListAsync(cancellation)).ToDictionary(n => n.Id);
        var noteIds = current.Keys.ToArray();
        var noteEvents = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(noteIds) && e.Timestamp <= instant)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);
        var notes = noteEvents.GroupBy(e => e.StreamId)
            .Select(stream => Fold<SessionNote>.All(stream.Select(e => e.Data))!)
            .Where(then => !read.ByPatient || (SessionNoteViews.PatientMaySee(then) && SessionNoteViews.PatientMaySee(current[then.Id])))
            .ToList();
        await read.LogAsync(instant, cancellation,
            [(RecordTypes.Patient, patientId), (RecordTypes.Outcomes, RecordOutcome.StreamId(patientId)), (RecordTypes.Consent, ConsentRecord.StreamId(patientId)),
             .. notes.Select(n => (RecordTypes.SessionNote, n.Id))]);

        var measures = outcomes?.Measures ?? [];
        return Results.Ok(new RecordAsOf(instant, Patients.PatientView.From(patient), measures.Select(OutcomeEntryView.From).ToArray(),
            EpisodeOutcomeView.From(TalkingTherapiesMeasures.For(measures.Select(m => new Score(m.Questionnaire, m.Total, m.CompletedAt)))),
            notes.OrderBy(n => n.Id).Select(SessionNoteView.From).ToArray(),
            consents?.InForceAt(instant) ?? []));
    }
}

public sealed record RecordAsOf(
    DateTimeOffset AsOf, Patients.PatientView Patient, OutcomeEntryView[] Outcomes, EpisodeOutcomeView TalkingTherapies, SessionNoteView[] Notes,
    ConsentScope[] ConsentsInForce);
