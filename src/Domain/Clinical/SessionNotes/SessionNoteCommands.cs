using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Domain.Clinical.SessionNotes;

/// <summary>The appointment's therapist starts a note for a session that was confirmed or took place.</summary>
public sealed record DraftSessionNote(string Text)
{
    private static readonly AppointmentStatus[] Notable =
        [AppointmentStatus.Confirmed, AppointmentStatus.Started, AppointmentStatus.Completed, AppointmentStatus.PatientDidNotAttend];

    public static Decision Decide(Appointment appointment, Guid authorId, DraftSessionNote command, DateTimeOffset now)
    {
        if (appointment.TherapistId != authorId)
        {
            return Rejection.Unprocessable("not-the-therapist", "Only the session's therapist writes its note.");
        }

        if (!Notable.Contains(appointment.Status))
        {
            return Rejection.Unprocessable("no-session", $"An appointment that is {appointment.Status} has no session to note.");
        }

        return Decision.Accept(new SessionNoteDrafted(
            SessionNote.StreamId(appointment.Id), appointment.Id, appointment.PatientId, authorId,
            PersonalText.Of(appointment.PatientId, command.Text.Trim()), now));
    }
}

public sealed record EditSessionNote(long ExpectedVersion, string Text) : IExpectVersion
{
    public static Decision Decide(SessionNote note, Guid authorId, EditSessionNote command, DateTimeOffset now)
    {
        if (note.Status != NoteStatus.Draft)
        {
            return Rejection.Conflict("note-signed", "A signed note is never changed; add an addendum instead.");
        }

        if (note.AuthorId != authorId)
        {
            return Rejection.Unprocessable("not-the-author", "Only the author edits a draft.");
        }

        var text = command.Text.Trim();
        return text == note.Text.Value ? Decision.Accept() : Decision.Accept(new SessionNoteDraftEdited(note.Id, PersonalText.Of(note.PatientId, text), now));
    }
}

public sealed record SignSessionNote(long ExpectedVersion) : IExpectVersion
{
    public static Decision Decide(SessionNote note, Guid authorId, SignSessionNote command, DateTimeOffset now)
    {
        if (note.Status != NoteStatus.Draft)
        {
            return Rejection.Conflict("already-signed", "This note is already signed.");
        }

        if (note.AuthorId != authorId)
        {
            return Rejection.Unprocessable("not-the-author", "Only the author signs a note.");
        }

        return string.IsNullOrWhiteSpace(note.Text.Value)
            ? Rejection.Unprocessable("empty-note", "An empty note cannot be signed.")
            : Decision.Accept(new SessionNoteSigned(note.Id, authorId, now));
    }
}

public sealed record AddAddendum(long ExpectedVersion, string Text) : IExpectVersion
{
    public static Decision Decide(SessionNote note, Guid authorId, AddAddendum command, Guid addendumId, DateTimeOffset now) => note.Status switch
    {
        NoteStatus.Draft => Rejection.Conflict("note-not-signed", "A draft is edited, not added to; sign it first."),
        NoteStatus.EnteredInError => Rejection.Conflict("note-entered-in-error", "A note entered in error takes no addenda."),
        _ => Decision.Accept(new SessionNoteAddendumAdded(note.Id, addendumId, authorId, PersonalText.Of(note.PatientId, command.Text.Trim()), now)),
    };
}

public sealed record MarkNoteEnteredInError(long ExpectedVersion, string Reason) : IExpectVersion
{
    public static Decision Decide(SessionNote note, Guid by, MarkNoteEnteredInError command, DateTimeOffset now) =>
        note.Status == NoteStatus.EnteredInError
            ? Rejection.Conflict("already-entered-in-error", "This note is already marked entered in error.")
            : Decision.Accept(new SessionNoteEnteredInError(note.Id, by, PersonalText.Of(note.PatientId, command.Reason.Trim()), now));
}

public sealed record ReleaseNoteToPatient(long ExpectedVersion) : IExpectVersion
{
    public static Decision Decide(SessionNote note, Guid by, ReleaseNoteToPatient command, DateTimeOffset now)
    {
        if (note.Status != NoteStatus.Signed)
        {
            return Rejection.Conflict("note-not-releasable", $"Only a signed note is released to the patient; this one is {note.Status}.");
        }

        return note.ReleasedToPatient ? Decision.Accept() : Decision.Accept(new SessionNoteReleasedToPatient(note.Id, by, now));
    }
}
