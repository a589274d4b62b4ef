using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Clinical.SessionNotes;

public class SessionNoteTests
{
    private static readonly DateTimeOffset Now = London(2027, 3, 1, 9);
    private static readonly Appointment Session = Confirmed(London(2027, 3, 3, 10), Now);

    private static SessionNote Draft(string text = "Discussed sleep.") =>
        SessionNote.From((SessionNoteDrafted)DraftSessionNote.Decide(Session, TherapistId, new DraftSessionNote(text), Now).Events.Single());

    private static SessionNote Signed() => Draft().When((SessionNoteSigned)SignSessionNote.Decide(Draft(), TherapistId, new SignSessionNote(1), Now).Events.Single());

    [Fact]
    public void the_sessions_therapist_drafts_a_note_and_nobody_else_does()
    {
        Draft().Status.ShouldBe(NoteStatus.Draft);
        DraftSessionNote.Decide(Session, Guid.CreateVersion7(), new DraftSessionNote("x"), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("not-the-therapist");
    }

    [Fact]
    public void a_cancelled_appointment_has_no_session_to_note()
    {
        var cancelled = Fold<Appointment>.Next(Session, new AppointmentCancelled(Session.Id, CancelledBy.Patient, PersonalText.Of(Session.PatientId, "x"), FeeOutcome.FullRefund, 0, Now));

        DraftSessionNote.Decide(cancelled, TherapistId, new DraftSessionNote("x"), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("no-session");
    }

    [Fact]
    public void a_draft_is_edited_until_signed_and_never_after()
    {
        EditSessionNote.Decide(Draft(), TherapistId, new EditSessionNote(1, "Discussed sleep and work."), Now).Events
            .ShouldHaveSingleItem().ShouldBeOfType<SessionNoteDraftEdited>();
        EditSessionNote.Decide(Signed(), TherapistId, new EditSessionNote(2, "Changed."), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("note-signed");
    }

    [Fact]
    public void signing_twice_is_a_conflict_and_an_empty_draft_cannot_be_signed()
    {
        SignSessionNote.Decide(Signed(), TherapistId, new SignSessionNote(2), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("already-signed");
        SignSessionNote.Decide(Draft("   "), TherapistId, new SignSessionNote(1), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("empty-note");
    }

    [Fact]
    public void a_signed_note_takes_addenda_and_can_be_entered_in_error_keeping_its_text()
    {
        var signed = Signed();
        var withAddendum = signed.When((SessionNoteAddendumAdded)AddAddendum.Decide(signed, TherapistId, new AddAddendum(2, "Follow-up call."), Guid.CreateVersion7(), Now).Events.Single());
        withAddendum.Addenda.ShouldHaveSingleItem().Text.Value.ShouldBe("Follow-up call.");

        var inError = withAddendum.When((SessionNoteEnteredInError)MarkNoteEnteredInError.Decide(withAddendum, TherapistId, new MarkNoteEnteredInError(3, "Wrong patient"), Now).Events.Single());
        inError.Status.ShouldBe(NoteStatus.EnteredInError);
        inError.Text.Value.ShouldBe("Discussed sleep.");
        AddAddendum.Decide(inError, TherapistId, new AddAddendum(4, "x"), Guid.CreateVersion7(), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("note-entered-in-error");
    }

    [Fact]
    public void only_a_signed_note_is_released_to_the_patient()
    {
        ReleaseNoteToPatient.Decide(Draft(), TherapistId, new ReleaseNoteToPatient(1), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("note-not-releasable");
        ReleaseNoteToPatient.Decide(Signed(), TherapistId, new ReleaseNoteToPatient(2), Now).Events.ShouldHaveSingleItem().ShouldBeOfType<SessionNoteReleasedToPatient>();
    }
}
