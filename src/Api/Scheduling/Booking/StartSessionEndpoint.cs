using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist opens the session, from 15 minutes before its start.</summary>
public static class StartSessionEndpoint
{
    public static ProblemDetails Validate(StartSession command) => Problems.Validate(command, ExpectedVersionValidator<StartSession>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/start"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static async Task<IResult> Post(
        StartSession command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => StartSession.Decide(a, command, time.GetUtcNow()), cancellation)).Ok();
}
