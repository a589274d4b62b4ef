namespace EventSourcedClinic.Domain.Clinical.SessionNotes;

public enum NoteStatus
{
    Draft,
    Signed,
    EnteredInError,
}

public sealed record Addendum(Guid AddendumId, Guid AuthorId, PersonalText Text, DateTimeOffset AddedAt);

/// <summary>
/// A therapist's note of a session, as its stream tells it. A draft may be edited; a signed note never changes again:
/// it only gains addenda, or is marked entered in error with a reason, and the original stays readable.
/// </summary>
public sealed record SessionNote(
    Guid Id,
    Guid AppointmentId,
    Guid PatientId,
    Guid AuthorId,
    NoteStatus Status,
    PersonalText Text,
    Addendum[] Addenda,
    DateTimeOffset? SignedAt,
    bool ReleasedToPatient,
    PersonalText? ErrorReason)
{
    public const int MaxLength = 20_000;

    private static readonly Guid Namespace = new("5a0e3b1c-2d7f-4c8e-9b6a-7e1f3c2d4a55");

    /// <summary>A session's note is one stream, found from the appointment's id.</summary>
    public static Guid StreamId(Guid appointmentId) => NameBasedGuid.Create(Namespace, $"session-note/{appointmentId}");

    public static SessionNote From(SessionNoteDrafted e) =>
        new(e.NoteId, e.AppointmentId, e.PatientId, e.AuthorId, NoteStatus.Draft, e.Text, [], null, false, null);

    public SessionNote When(SessionNoteDraftEdited e) => this with { Text = e.Text };

    public SessionNote When(SessionNoteSigned e) => this with { Status = NoteStatus.Signed, SignedAt = e.SignedAt };

    public SessionNote When(SessionNoteAddendumAdded e) => this with { Addenda = [.. Addenda, new Addendum(e.AddendumId, e.AuthorId, e.Text, e.AddedAt)] };

    public SessionNote When(SessionNoteEnteredInError e) => this with { Status = NoteStatus.EnteredInError, ErrorReason = e.Reason };

    public SessionNote When(SessionNoteReleasedToPatient e) => this with { ReleasedToPatient = true };
}

public sealed record SessionNoteDrafted(Guid NoteId, Guid AppointmentId, Guid PatientId, Guid AuthorId, PersonalText Text, DateTimeOffset DraftedAt);

public sealed record SessionNoteDraftEdited(Guid NoteId, PersonalText Text, DateTimeOffset EditedAt);

public sealed record SessionNoteSigned(Guid NoteId, Guid SignedBy, DateTimeOffset SignedAt);

public sealed record SessionNoteAddendumAdded(Guid NoteId, Guid AddendumId, Guid AuthorId, PersonalText Text, DateTimeOffset AddedAt);

public sealed record SessionNoteEnteredInError(Guid NoteId, Guid MarkedBy, PersonalText Reason, DateTimeOffset MarkedAt);

public sealed record SessionNoteReleasedToPatient(Guid NoteId, Guid ReleasedBy, DateTimeOffset ReleasedAt);
