using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist records that the patient did not come.</summary>
public static class RecordNonAttendanceEndpoint
{
    public static ProblemDetails Validate(RecordNonAttendance command) => Problems.Validate(command, ExpectedVersionValidator<RecordNonAttendance>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/non-attendance"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static async Task<IResult> Post(
        RecordNonAttendance command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => RecordNonAttendance.Decide(a, command, time.GetUtcNow()), cancellation)).Ok();
}
