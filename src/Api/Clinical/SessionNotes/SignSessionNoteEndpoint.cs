using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>The author signs the note, which locks it.</summary>
public static class SignSessionNoteEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/note/signature"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(VersionedRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => SignSessionNote.Decide(note, by, new SignSessionNote(command.ExpectedVersion), time.GetUtcNow()), cancellation);
}
