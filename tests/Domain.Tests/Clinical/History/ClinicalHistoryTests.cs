using EventSourcedClinic.Domain.Clinical.History;

namespace EventSourcedClinic.Domain.Tests.Clinical.History;

public class ClinicalHistoryTests
{
    private static readonly Guid PatientId = Guid.CreateVersion7();
    private static readonly Guid Clinician = Guid.CreateVersion7();
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static ClinicalHistory With(RecordHistoryEntry command, out Guid entryId)
    {
        entryId = Guid.CreateVersion7();
        return ClinicalHistory.From((HistoryEntryRecorded)RecordHistoryEntry.Decide(PatientId, null, command, entryId, Clinician, false, Now).Events.Single());
    }

    [Fact]
    public void an_amendment_must_replace_a_live_entry_of_the_same_kind()
    {
        var history = With(new RecordHistoryEntry(HistoryKind.Condition, "Depression"), out var id);

        RecordHistoryEntry.Decide(PatientId, history, new RecordHistoryEntry(HistoryKind.Medication, "x", AmendsEntryId: id), Guid.CreateVersion7(), Clinician, false, Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("not-amendable");
        RecordHistoryEntry.Decide(PatientId, history, new RecordHistoryEntry(HistoryKind.Condition, "Recurrent depression", AmendsEntryId: id), Guid.CreateVersion7(), Clinician, false, Now)
            .IsAccepted.ShouldBeTrue();
    }

    [Fact]
    public void an_entry_entered_in_error_keeps_its_content_and_cannot_be_marked_twice()
    {
        var history = With(new RecordHistoryEntry(HistoryKind.Allergy, "Penicillin", "Rash"), out var id);
        var marked = history.When((HistoryEntryEnteredInError)MarkHistoryEntryInError.Decide(history, id, new MarkHistoryEntryInError("Wrong patient"), Clinician, Now).Events.Single());

        marked.Entries.Single().EnteredInError.ShouldBeTrue();
        marked.Entries.Single().Summary.Value.ShouldBe("Penicillin");
        MarkHistoryEntryInError.Decide(marked, id, new MarkHistoryEntryInError("again"), Clinician, Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("already-entered-in-error");
    }

    [Fact]
    public void a_patient_records_only_intake_answers()
    {
        RecordHistoryEntry.Decide(PatientId, null, new RecordHistoryEntry(HistoryKind.Intake, "Sleep poor"), Guid.CreateVersion7(), PatientId, true, Now).IsAccepted.ShouldBeTrue();
        RecordHistoryEntry.Decide(PatientId, null, new RecordHistoryEntry(HistoryKind.RiskAssessment, "x", "plan", null, RiskLevel.Low, RiskLevel.None), Guid.CreateVersion7(), PatientId, true, Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("clinician-only");
    }
}
