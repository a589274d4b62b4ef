using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist closes a session that took place.</summary>
public static class CompleteSessionEndpoint
{
    public static ProblemDetails Validate(VersionedRequest command) => Problems.Validate(command, ExpectedVersionValidator<VersionedRequest>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/completion"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        VersionedRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => CompleteSession.Decide(a, new CompleteSession(command.ExpectedVersion), time.GetUtcNow()), cancellation)).Ok();
}
