using EventSourcedClinic.Domain.Clinical.Outcomes;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Clinical;

/// <summary>One completed questionnaire as the record shows it.</summary>
public sealed record OutcomeEntry(
    Guid MeasureId, Questionnaire Questionnaire, int Total, string Severity, bool RiskFlag, DateTimeOffset CompletedAt, Guid? EpisodeId, int[] Answers);

/// <summary>A patient's outcome measures in the order they were completed, for the patient's summary and the caseload.</summary>
public sealed record OutcomeHistory
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public OutcomeEntry[] Measures { get; init; } = [];

    public long Version { get; set; }
}

/// <summary>Inline, so that a score submitted is in the therapist's caseload at once.</summary>
public sealed class OutcomeHistoryProjection : SingleStreamProjection<OutcomeHistory, Guid>
{
    public static OutcomeHistory Create(OutcomeRecorded e) => Apply(e, new OutcomeHistory { Id = RecordOutcome.StreamId(e.PatientId), PatientId = e.PatientId });

    public static OutcomeHistory Apply(OutcomeRecorded e, OutcomeHistory history) => history with
    {
        Measures = [.. history.Measures, new OutcomeEntry(e.MeasureId, e.Questionnaire, e.Total, e.Severity, e.RiskFlag, e.CompletedAt, e.EpisodeId, e.Answers)],
    };
}
