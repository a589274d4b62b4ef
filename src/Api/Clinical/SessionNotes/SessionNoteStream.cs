using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>
/// The write path the session-note endpoints share: the caller must be a therapist in the patient's care team; then
/// the note's version is checked, the domain decides, and the events are appended (Marten checks the version again).
/// </summary>
public static class SessionNoteStream
{
    public static async Task<IResult> ChangeAsync(
        Guid appointmentId, long expectedVersion, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        Func<SessionNote, Guid, Decision> decide, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var stream = await session.Events.FetchForWriting<SessionNote>(SessionNote.StreamId(appointmentId), cancellation);
        if (stream.Aggregate is not { } note)
        {
            return Results.Problem(Problems.NotFound("session note"));
        }

        if (await access.CheckAsync(actor, note.PatientId, session, cancellation) is { } refused)
        {
            return Results.Problem(refused);
        }

        var version = stream.CurrentVersion ?? 0;
        if (expectedVersion != version)
        {
            return Results.Problem(Problems.StaleVersion("session note", version, expectedVersion));
        }

        var decision = decide(note, actor.UserId!.Value);
        if (decision.Rejection is { } rejection)
        {
            return Results.Problem(Problems.From(rejection));
        }

        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(new StreamVersion(stream.Id, version + decision.Events.Count));
    }

    public static IRuleBuilderOptions<T, string> NoteText<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotNull().MaximumLength(SessionNote.MaxLength);
}
