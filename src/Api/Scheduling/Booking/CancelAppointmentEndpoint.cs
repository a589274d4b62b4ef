using EventSourcedClinic.Domain.Scheduling.Booking;
using JasperFx.Events;
using Microsoft.Extensions.Options;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>
/// The patient, the therapist or the clinic cancels with a reason. The time is released in the same transaction, and
/// the event records what the cancellation means for the fee under the clinic's policy.
/// </summary>
public static class CancelAppointmentEndpoint
{
    public static ProblemDetails Validate(
        CancelAppointment command, IEventStream<Appointment> appointment, ClaimsPrincipal user, TimeProvider time, IOptions<BookingSettings> settings)
    {
        var actor = Actor.From(user);
        return AppointmentCommands.Check(command, Validator.Instance, appointment, actor,
            a => CancelAppointment.Decide(a, command, actor.Party(), Policy(settings), time.GetUtcNow()));
    }

    [WolverinePost("/api/appointments/{appointmentId}/cancellation"),
     Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static StreamVersion Post(
        CancelAppointment command, [WriteAggregate] IEventStream<Appointment> appointment, ClaimsPrincipal user, TimeProvider time,
        IOptions<BookingSettings> settings) =>
        appointment.Append(CancelAppointment.Decide(appointment.Aggregate!, command, Actor.From(user).Party(), Policy(settings), time.GetUtcNow()));

    internal static CancellationPolicy Policy(IOptions<BookingSettings> settings) => new(settings.Value.LateCancellationHours);

    public sealed class Validator : AbstractValidator<CancelAppointment>
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
