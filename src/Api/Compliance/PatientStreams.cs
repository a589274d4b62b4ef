using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Clinical.History;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Projections.Scheduling;
using Marten;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>
/// Every stream that holds something about one patient, by record type: the ones named from the patient's id, and
/// the appointments, session notes and care episodes found through the read models.
/// </summary>
public static class PatientStreams
{
    /// <summary>Whether the id names a patient's own stream (registration), rather than nothing or something else.</summary>
    public static async Task<bool> IsPatientAsync(IQuerySession session, Guid id, CancellationToken cancellation) =>
        (await session.Events.FetchStreamStateAsync(id, cancellation))?.AggregateType == typeof(Domain.Patients.Patient);

    public static async Task<(string Type, Guid StreamId)[]> FindAsync(IQuerySession session, Guid patientId, CancellationToken cancellation)
    {
        var appointments = await session.Query<CalendarEntry>().Where(e => e.PatientId == patientId).Select(e => e.Id).ToListAsync(cancellation);
        var notes = await session.Query<SessionNote>().Where(n => n.PatientId == patientId).Select(n => n.Id).ToListAsync(cancellation);
        var episodes = await session.Query<CareEpisode>().Where(e => e.PatientId == patientId).Select(e => e.Id).ToListAsync(cancellation);
        (string, Guid)[] candidates =
        [
            (RecordTypes.Patient, patientId),
            (RecordTypes.Consent, ConsentRecord.StreamId(patientId)),
            (RecordTypes.History, ClinicalHistory.StreamId(patientId)),
            (RecordTypes.Outcomes, RecordOutcome.StreamId(patientId)),
            .. appointments.Select(id => (RecordTypes.Appointment, id)),
            .. notes.Select(id => (RecordTypes.SessionNote, id)),
            .. episodes.Select(id => (RecordTypes.CareEpisode, id)),
            (RecordTypes.AccessLog, RecordAccessed.AccessLogStreamId(patientId)),
            (RecordTypes.RecordsManagement, RecordsStatus.StreamId(patientId)),
        ];

        // Only the streams that exist.
        var ids = candidates.Select(c => c.Item2).ToArray();
        var existing = (await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids) && e.Version == 1)
            .Select(e => e.StreamId).ToListAsync(cancellation)).ToHashSet();
        return candidates.Where(c => existing.Contains(c.Item2)).ToArray();
    }
}
