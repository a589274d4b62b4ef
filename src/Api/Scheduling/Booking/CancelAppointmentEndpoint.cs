using EventSourcedClinic.Domain.Scheduling.Booking;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>
/// The patient, the therapist or the clinic cancels with a reason. The time is released in the same transaction, and
/// the event records what the cancellation means for the fee under the clinic's policy.
/// </summary>
public static class CancelAppointmentEndpoint
{
    public static ProblemDetails Validate(CancelAppointmentRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/cancellation"),
     Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        CancelAppointmentRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, IMessageContext bus, TimeProvider time,
        IOptions<BookingSettings> settings, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var written = await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, actor,
            a => CancelAppointment.Decide(a, command, actor.Party(), Policy(settings), time.GetUtcNow()), cancellation);

        await AnnounceAsync(bus, written);
        return written.Ok();
    }

    /// <summary>
    /// A cancellation is announced through the outbox once committed, so whoever settles money for it (Payments) hears
    /// of it, and both people are told. The message is not the event: the reason is personal data, kept encrypted in the
    /// event store and nowhere else.
    /// </summary>
    internal static async Task AnnounceAsync(IMessageContext bus, Written<Appointment> written)
    {
        foreach (var cancelled in written.Events.OfType<AppointmentCancelled>())
        {
            await bus.PublishAsync(new SessionCancelled(cancelled.AppointmentId, cancelled.CancelledBy, cancelled.FeeOutcome, cancelled.RefundPence));
            // Only a session both were told was booked: a hold that is let go was never announced.
            if (written.Before!.Status == AppointmentStatus.Confirmed)
            {
                await BookingContext.TellBothAsync(bus, written.Before.PatientId, written.Before.TherapistId,
                    ("session-cancelled", "Your session has been cancelled", "Your session on {when} (UK time) has been cancelled.", written.Before.Start));
            }
        }
    }

    internal static CancellationPolicy Policy(IOptions<BookingSettings> settings) => new(settings.Value.LateCancellationHours);

    public sealed class Validator : AbstractValidator<CancelAppointmentRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
            RuleFor(x => x.Reason).NotEmpty().MaximumLength(1_000);
        }
    }
}

/// <summary>The request body of <see cref="CancelAppointment"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record CancelAppointmentRequest(long ExpectedVersion, string Reason) : IExpectVersion
{
    public static implicit operator CancelAppointment(CancelAppointmentRequest request) => new(request.ExpectedVersion, request.Reason);
}

/// <summary>What a cancellation means for money, announced to other areas; it carries no personal data.</summary>
public sealed record SessionCancelled(Guid AppointmentId, CancelledBy CancelledBy, FeeOutcome FeeOutcome, int RefundPence);

/// <summary>
/// What cancelling now would mean, before anyone does it: whether it can be cancelled, and what happens to the fee under
/// the clinic's policy (the same decision the cancellation itself makes, nothing written).
/// </summary>
public static class CancellationPreviewEndpoint
{
    [WolverineGet("/api/appointments/{appointmentId}/cancellation"),
     Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<CancellationPreview>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        Guid appointmentId, ClaimsPrincipal user, IQuerySession session, TimeProvider time, IOptions<BookingSettings> settings, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(appointmentId, token: cancellation);
        if (appointment is null || !actor.MaySee(appointment.TherapistId, appointment.PatientId))
        {
            return Results.Problem(Problems.NotFound("appointment"));
        }

        var decision = CancelAppointment.Decide(appointment, new CancelAppointment(0, "preview"), actor.Party(), CancelAppointmentEndpoint.Policy(settings),
            time.GetUtcNow());
        var state = await session.Events.FetchStreamStateAsync(appointmentId, cancellation);
        return Results.Ok(decision.Events is [AppointmentCancelled would]
            ? new CancellationPreview(true, would.FeeOutcome, would.RefundPence, settings.Value.LateCancellationHours, state?.Version ?? 0, null)
            : new CancellationPreview(false, null, 0, settings.Value.LateCancellationHours, state?.Version ?? 0, decision.Rejection?.Detail));
    }
}

/// <param name="Version">The appointment's version, to cancel with.</param>
/// <param name="Why">Why it cannot be cancelled, when it cannot.</param>
public sealed record CancellationPreview(bool Cancellable, FeeOutcome? FeeOutcome, int RefundPence, int LateCancellationHours, long Version, string? Why);
