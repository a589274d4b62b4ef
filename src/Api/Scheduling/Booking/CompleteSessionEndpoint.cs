using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist closes a session that took place.</summary>
public static class CompleteSessionEndpoint
{
    public static ProblemDetails Validate(CompleteSession command) => Problems.Validate(command, ExpectedVersionValidator<CompleteSession>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/completion"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static async Task<IResult> Post(
        CompleteSession command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => CompleteSession.Decide(a, command, time.GetUtcNow()), cancellation)).Ok();
}
