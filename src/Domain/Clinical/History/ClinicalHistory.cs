namespace EventSourcedClinic.Domain.Clinical.History;

public enum HistoryKind
{
    Intake,
    Condition,
    Medication,
    Allergy,
    RiskAssessment,
}

public enum RiskLevel
{
    None,
    Low,
    Moderate,
    High,
}

/// <summary>One entry of a patient's health history. Entries are never changed: a correction is a new entry that amends
/// an earlier one, or the earlier one marked entered in error with a reason; both stay visible.</summary>
public sealed record HistoryEntry(
    Guid EntryId,
    HistoryKind Kind,
    PersonalText Summary,
    PersonalText? Detail,
    string? SnomedCode,
    RiskLevel? RiskToSelf,
    RiskLevel? RiskToOthers,
    Guid? AmendsEntryId,
    Guid RecordedBy,
    DateTimeOffset RecordedAt,
    bool EnteredInError = false,
    PersonalText? ErrorReason = null);

/// <summary>A patient's health history as its stream tells it (append-only).</summary>
public sealed record ClinicalHistory(Guid Id, Guid PatientId, HistoryEntry[] Entries)
{
    private static readonly Guid Namespace = new("c4d1e8a2-7b3f-4e6a-a9d5-2f8b1c0e7d66");

    public static Guid StreamId(Guid patientId) => NameBasedGuid.Create(Namespace, $"clinical-history/{patientId}");

    public static ClinicalHistory From(HistoryEntryRecorded e) => new(StreamId(e.PatientId), e.PatientId, [e.Entry]);

    public ClinicalHistory When(HistoryEntryRecorded e) => this with { Entries = [.. Entries, e.Entry] };

    public ClinicalHistory When(HistoryEntryEnteredInError e) => this with
    {
        Entries = Entries.Select(entry => entry.EntryId == e.EntryId ? entry with { EnteredInError = true, ErrorReason = e.Reason } : entry).ToArray(),
    };
}

/// <summary>
/// Records a history entry. A risk assessment states the risk to self and to others and carries the safety plan as
/// its detail; other kinds carry no risk levels. A patient may record only their intake answers.
/// </summary>
public sealed record RecordHistoryEntry(
    HistoryKind Kind, string Summary, string? Detail = null, string? SnomedCode = null, RiskLevel? RiskToSelf = null, RiskLevel? RiskToOthers = null,
    Guid? AmendsEntryId = null)
{
    public static Decision Decide(
        Guid patientId, ClinicalHistory? history, RecordHistoryEntry command, Guid entryId, Guid recordedBy, bool byPatient, DateTimeOffset now)
    {
        if (byPatient && command.Kind != HistoryKind.Intake)
        {
            return Rejection.Unprocessable("clinician-only", "Patients record their intake answers; the rest of the history is their clinician's.");
        }

        var isRisk = command.Kind == HistoryKind.RiskAssessment;
        if (isRisk && (command.RiskToSelf is null || command.RiskToOthers is null || string.IsNullOrWhiteSpace(command.Detail)))
        {
            return Rejection.Unprocessable("risk-assessment-incomplete", "A risk assessment states the risk to self, to others, and the safety plan.");
        }

        if (!isRisk && (command.RiskToSelf is not null || command.RiskToOthers is not null))
        {
            return Rejection.Unprocessable("risk-levels-out-of-place", "Only a risk assessment carries risk levels.");
        }

        if (command.AmendsEntryId is { } amended)
        {
            var original = history?.Entries.FirstOrDefault(e => e.EntryId == amended);
            if (original is null)
            {
                return Rejection.NotFound("history-entry", "No history entry with that id to amend.");
            }

            if (original.Kind != command.Kind || original.EnteredInError)
            {
                return Rejection.Conflict("not-amendable", "An amendment replaces a live entry of the same kind.");
            }
        }

        PersonalText? Personal(string? text) => string.IsNullOrWhiteSpace(text) ? null : PersonalText.Of(patientId, text.Trim());
        return Decision.Accept(new HistoryEntryRecorded(patientId, new HistoryEntry(
            entryId, command.Kind, PersonalText.Of(patientId, command.Summary.Trim()), Personal(command.Detail), command.SnomedCode?.Trim(),
            command.RiskToSelf, command.RiskToOthers, command.AmendsEntryId, recordedBy, now)));
    }
}

/// <summary>A clinician marks an entry entered in error, with a reason; the entry stays for auditors.</summary>
public sealed record MarkHistoryEntryInError(string Reason)
{
    public static Decision Decide(ClinicalHistory history, Guid entryId, MarkHistoryEntryInError command, Guid by, DateTimeOffset now)
    {
        var entry = history.Entries.FirstOrDefault(e => e.EntryId == entryId);
        if (entry is null)
        {
            return Rejection.NotFound("history-entry", "No history entry with that id.");
        }

        return entry.EnteredInError
            ? Rejection.Conflict("already-entered-in-error", "This entry is already marked entered in error.")
            : Decision.Accept(new HistoryEntryEnteredInError(history.PatientId, entryId, PersonalText.Of(history.PatientId, command.Reason.Trim()), by, now));
    }
}

public sealed record HistoryEntryRecorded(Guid PatientId, HistoryEntry Entry);

public sealed record HistoryEntryEnteredInError(Guid PatientId, Guid EntryId, PersonalText Reason, Guid MarkedBy, DateTimeOffset MarkedAt);
