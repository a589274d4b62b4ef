using EventSourcedClinic.Domain.Scheduling.Booking;
using Wolverine;

namespace EventSourcedClinic.Api.Scheduling.Booking;

// Whether a session took place (ADR 0012), as the domain's SessionAttendance decides: opened, completed, or the
// patient did not come.

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

/// <summary>The therapist closes a session that took place.</summary>
public static class CompleteSessionEndpoint
{
    public static ProblemDetails Validate(VersionedRequest command) => Problems.Validate(command, ExpectedVersionValidator<VersionedRequest>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/completion"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        VersionedRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, IMessageContext bus, TimeProvider time,
        CancellationToken cancellation)
    {
        var written = await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => CompleteSession.Decide(a, new CompleteSession(command.ExpectedVersion), time.GetUtcNow()), cancellation);
        await SessionEnded.AnnounceAsync<SessionCompleted>(bus, written);
        return written.Ok();
    }
}

/// <summary>The therapist records that the patient did not come.</summary>
public static class RecordNonAttendanceEndpoint
{
    public static ProblemDetails Validate(VersionedRequest command) => Problems.Validate(command, ExpectedVersionValidator<VersionedRequest>.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/non-attendance"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        VersionedRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, IMessageContext bus, TimeProvider time,
        CancellationToken cancellation)
    {
        var written = await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => RecordNonAttendance.Decide(a, new RecordNonAttendance(command.ExpectedVersion), time.GetUtcNow()), cancellation);
        await SessionEnded.AnnounceAsync<PatientDidNotAttend>(bus, written);
        return written.Ok();
    }
}

/// <summary>
/// A session is over, held or not attended, announced through the outbox once committed, so that whoever settles money
/// for it (Payments: the therapist's share) hears of it. Ids and times only.
/// </summary>
public sealed record SessionEnded(Guid AppointmentId, Guid TherapistId, DateTimeOffset Start, bool Attended)
{
    internal static async Task AnnounceAsync<TEvent>(IMessageContext bus, Written<Appointment> written)
    {
        if (written is { Before: { } before } && written.Events.OfType<TEvent>().Any())
        {
            await bus.PublishAsync(new SessionEnded(before.Id, before.TherapistId, before.Start, typeof(TEvent) == typeof(SessionCompleted)));
        }
    }
}
