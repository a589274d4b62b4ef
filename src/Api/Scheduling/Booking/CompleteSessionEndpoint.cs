using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist closes a session that took place.</summary>
public static class CompleteSessionEndpoint
{
    public static ProblemDetails Validate(CompleteSessionRequest command) => Problems.Validate(command, ExpectedVersionValidator<CompleteSessionRequest>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/completion"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        CompleteSessionRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => CompleteSession.Decide(a, command, time.GetUtcNow()), cancellation)).Ok();
}

/// <summary>The request body of <see cref="CompleteSession"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record CompleteSessionRequest(
    long ExpectedVersion) : IExpectVersion
{
    public static implicit operator CompleteSession(CompleteSessionRequest request) => new(
        request.ExpectedVersion);
}
