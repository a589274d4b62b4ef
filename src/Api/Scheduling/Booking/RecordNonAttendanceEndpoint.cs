using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist records that the patient did not come.</summary>
public static class RecordNonAttendanceEndpoint
{
    public static ProblemDetails Validate(RecordNonAttendanceRequest command) => Problems.Validate(command, ExpectedVersionValidator<RecordNonAttendanceRequest>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/non-attendance"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        RecordNonAttendanceRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => RecordNonAttendance.Decide(a, command, time.GetUtcNow()), cancellation)).Ok();
}

/// <summary>The request body of <see cref="RecordNonAttendance"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record RecordNonAttendanceRequest(
    long ExpectedVersion) : IExpectVersion
{
    public static implicit operator RecordNonAttendance(RecordNonAttendanceRequest request) => new(
        request.ExpectedVersion);
}
