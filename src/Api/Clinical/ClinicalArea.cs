using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Clinical.History;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Projections.Clinical;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;

namespace EventSourcedClinic.Api.Clinical;

/// <summary>The clinical record: consent, health history, care episodes, outcome measures and session notes.</summary>
public sealed class ClinicalArea : ClinicArea
{
    public override void ConfigureStore(StoreOptions options)
    {
        options.Projections.Add<OutcomeHistoryProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<OutcomeHistory>().Index(x => x.PatientId);
        options.Projections.Add(new StreamFold<SessionNote>(), ProjectionLifecycle.Inline);
        options.Projections.Add(new StreamFold<ConsentRecord>(), ProjectionLifecycle.Inline);
        options.Projections.Add(new StreamFold<ClinicalHistory>(), ProjectionLifecycle.Inline);
        options.Projections.Add(new StreamFold<CareEpisode>(), ProjectionLifecycle.Inline);
        options.Schema.For<CareEpisode>().Index(x => x.PatientId).Index(x => x.TherapistId!);
        options.Schema.For<ConsentRecord>().Index(x => x.PatientId);
        options.Schema.For<SessionNote>().Index(x => x.PatientId);
    }

    public override IEnumerable<PatientStreamKind> PatientStreams =>
    [
        PatientStreamKind.Named(RecordTypes.Consent, ConsentRecord.StreamId),
        PatientStreamKind.Named(RecordTypes.History, ClinicalHistory.StreamId, clinical: true),
        PatientStreamKind.Named(RecordTypes.Outcomes, RecordOutcome.StreamId, clinical: true),
        PatientStreamKind.Found(RecordTypes.SessionNote, async (session, patientId, cancellation) =>
            await session.Query<SessionNote>().Where(n => n.PatientId == patientId).Select(n => n.Id).ToListAsync(cancellation), clinical: true),
        PatientStreamKind.Found(RecordTypes.CareEpisode, async (session, patientId, cancellation) =>
            await session.Query<CareEpisode>().Where(e => e.PatientId == patientId).Select(e => e.Id).ToListAsync(cancellation), clinical: true),
    ];
}
