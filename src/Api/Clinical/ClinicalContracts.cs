using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Clinical.History;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Projections.Clinical;

namespace EventSourcedClinic.Api.Clinical;

// The clinical record as the HTTP API shows it (ADR 0012): its own records, mapped from the domain's state at the
// edge, so the state can change shape without changing what a client was promised. Personal text reads as the text,
// or null once erased.

public sealed record SessionNoteView(
    Guid Id, Guid AppointmentId, Guid PatientId, Guid AuthorId, NoteStatus Status, string? Text, AddendumView[] Addenda,
    DateTimeOffset? SignedAt, bool ReleasedToPatient, string? ErrorReason)
{
    public static SessionNoteView From(SessionNote note) => new(
        note.Id, note.AppointmentId, note.PatientId, note.AuthorId, note.Status, note.Text.Value,
        note.Addenda.Select(a => new AddendumView(a.AddendumId, a.AuthorId, a.Text.Value, a.AddedAt)).ToArray(),
        note.SignedAt, note.ReleasedToPatient, note.ErrorReason?.Value);
}

public sealed record AddendumView(Guid AddendumId, Guid AuthorId, string? Text, DateTimeOffset AddedAt);

public sealed record HistoryEntryView(
    Guid EntryId, HistoryKind Kind, string? Summary, string? Detail, string? SnomedCode, RiskLevel? RiskToSelf, RiskLevel? RiskToOthers,
    Guid? AmendsEntryId, Guid RecordedBy, DateTimeOffset RecordedAt, bool EnteredInError, string? ErrorReason)
{
    public static HistoryEntryView From(HistoryEntry e) => new(
        e.EntryId, e.Kind, e.Summary.Value, e.Detail?.Value, e.SnomedCode, e.RiskToSelf, e.RiskToOthers, e.AmendsEntryId, e.RecordedBy,
        e.RecordedAt, e.EnteredInError, e.ErrorReason?.Value);
}

public sealed record CareEpisodeView(
    Guid Id, Guid PatientId, string PathwayId, ReferralSource Source, string? ReferrerOdsCode, string? PresentingProblem, EpisodeStage Stage,
    Guid? TherapistId, DischargeReason? DischargeReason, DateTimeOffset ReferredAt, bool IsOpen)
{
    public static CareEpisodeView From(CareEpisode e) => new(
        e.Id, e.PatientId, e.PathwayId, e.Source, e.ReferrerOdsCode, e.PresentingProblem.Value, e.Stage, e.TherapistId, e.DischargeReason,
        e.ReferredAt, e.IsOpen);
}

public sealed record ConsentDecisionView(ConsentScope Scope, bool Given, string PolicyVersion, DateTimeOffset At)
{
    public static ConsentDecisionView From(ConsentDecision d) => new(d.Scope, d.Given, d.PolicyVersion, d.At);
}

public sealed record OutcomeEntryView(
    Guid MeasureId, Questionnaire Questionnaire, int Total, string Severity, bool RiskFlag, DateTimeOffset CompletedAt, Guid? EpisodeId, int[] Answers)
{
    public static OutcomeEntryView From(OutcomeEntry m) => new(m.MeasureId, m.Questionnaire, m.Total, m.Severity, m.RiskFlag, m.CompletedAt, m.EpisodeId, m.Answers);
}

/// <summary>The NHS Talking Therapies measures of a course: caseness, reliable improvement and deterioration, recovery.</summary>
public sealed record EpisodeOutcomeView(
    bool HasPairedScores, bool CaseAtStart, bool ReliableImprovement, bool ReliableDeterioration, bool Recovery, bool ReliableRecovery,
    int? FirstPhq9, int? LastPhq9, int? FirstGad7, int? LastGad7)
{
    public static EpisodeOutcomeView From(EpisodeOutcome o) => new(
        o.HasPairedScores, o.CaseAtStart, o.ReliableImprovement, o.ReliableDeterioration, o.Recovery, o.ReliableRecovery,
        o.FirstPhq9, o.LastPhq9, o.FirstGad7, o.LastGad7);
}
