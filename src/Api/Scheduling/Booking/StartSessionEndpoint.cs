using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist opens the session, from 15 minutes before its start.</summary>
public static class StartSessionEndpoint
{
    public static ProblemDetails Validate(VersionedRequest command) => Problems.Validate(command, ExpectedVersionValidator<VersionedRequest>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/start"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        VersionedRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => StartSession.Decide(a, new StartSession(command.ExpectedVersion), time.GetUtcNow()), cancellation)).Ok();
}
