using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>Releasing a signed note to the patient is a deliberate act of the care team.</summary>
public static class ReleaseNoteEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/note/release"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(VersionedRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session,
        PatientAccess access, TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => ReleaseNoteToPatient.Decide(note, by, new ReleaseNoteToPatient(command.ExpectedVersion), time.GetUtcNow()), cancellation);
}
