using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist opens the session, from 15 minutes before its start.</summary>
public static class StartSessionEndpoint
{
    public static ProblemDetails Validate(StartSessionRequest command) => Problems.Validate(command, ExpectedVersionValidator<StartSessionRequest>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/start"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        StartSessionRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => StartSession.Decide(a, command, time.GetUtcNow()), cancellation)).Ok();
}

/// <summary>The request body of <see cref="StartSession"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record StartSessionRequest(
    long ExpectedVersion) : IExpectVersion
{
    public static implicit operator StartSession(StartSessionRequest request) => new(
        request.ExpectedVersion);
}
