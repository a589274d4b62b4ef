using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>
/// What the session-note endpoints share: the caller must be a therapist in the patient's care team, then the shared
/// write path checks the note's version, decides and appends.
/// </summary>
public static class SessionNoteStream
{
    public static async Task<IResult> ChangeAsync(
        Guid appointmentId, long expectedVersion, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        Func<SessionNote, Guid, Decision> decide, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        return (await session.ChangeAsync<SessionNote>(SessionNote.StreamId(appointmentId), "session note", expectedVersion,
            note => decide(note, actor.UserId!.Value), cancellation,
            guardAsync: note => access.CheckAsync(actor, note.PatientId, session, cancellation))).Ok();
    }

    public static IRuleBuilderOptions<T, string> NoteText<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotNull().MaximumLength(SessionNote.MaxLength);
}
