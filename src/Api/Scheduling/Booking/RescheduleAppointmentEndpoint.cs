using EventSourcedClinic.Domain.Scheduling.Booking;
using JasperFx.Events;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>
/// Moves an appointment to another time of the same therapist, atomically: one transaction appends the move and
/// updates the claim, so the old time is released only if the new one is taken (a clash is a 409 and nothing moves).
/// </summary>
public static class RescheduleAppointmentEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(
        RescheduleAppointment command, IEventStream<Appointment> appointment, ClaimsPrincipal user, IDocumentSession session, TimeProvider time,
        IOptions<BookingSettings> settings, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var (terms, availability) = appointment.Aggregate is { } a
            ? await BookingContext.LoadAsync(session, a.TherapistId, cancellation)
            : (null, null);
        return AppointmentCommands.Check(command, Validator.Instance, appointment, actor, a => terms is null
            ? Domain.Rejection.Unprocessable("therapist-not-bookable", "The therapist is no longer in the clinic.")
            : RescheduleAppointment.Decide(a, command, actor.Party(), terms, availability, CancelAppointmentEndpoint.Policy(settings), time.GetUtcNow()));
    }

    [WolverinePost("/api/appointments/{appointmentId}/reschedule"),
     Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static async Task<StreamVersion> Post(
        RescheduleAppointment command, [WriteAggregate] IEventStream<Appointment> appointment, ClaimsPrincipal user, IDocumentSession session,
        IMessageContext bus, TimeProvider time, IOptions<BookingSettings> settings, CancellationToken cancellation)
    {
        var before = appointment.Aggregate!;
        var (terms, availability) = await BookingContext.LoadAsync(session, before.TherapistId, cancellation);
        var now = time.GetUtcNow();
        var decision = RescheduleAppointment.Decide(
            before, command, Actor.From(user).Party(), terms!, availability, CancelAppointmentEndpoint.Policy(settings), now);
        await BookingContext.ScheduleFollowUpsAsync(bus, decision.Events, before, now, settings.Value);
        return appointment.Append(decision);
    }

    public sealed class Validator : AbstractValidator<RescheduleAppointment>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
            RuleFor(x => x.NewStart).NotEqual(default(DateTimeOffset)).WithMessage("'newStart' is required (ISO 8601 with an offset).");
        }
    }
}
