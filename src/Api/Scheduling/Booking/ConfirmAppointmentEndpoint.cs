using EventSourcedClinic.Domain.Scheduling.Booking;
using JasperFx.Events;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>
/// Confirms a held self-pay session once it is paid: the seam the payment flow will send through, and what an admin
/// sends by hand until then. Schedules the session's reminders.
/// </summary>
public static class ConfirmAppointmentEndpoint
{
    public static ProblemDetails Validate(ConfirmAppointment command, IEventStream<Appointment> appointment, ClaimsPrincipal user, TimeProvider time) =>
        AppointmentCommands.Check(command, Validator.Instance, appointment, Actor.From(user), a => ConfirmAppointment.Decide(a, command, time.GetUtcNow()));

    [WolverinePost("/api/appointments/{appointmentId}/confirmation"), Authorize(Roles = ClinicRoles.Admin)]
    public static async Task<StreamVersion> Post(
        ConfirmAppointment command, [WriteAggregate] IEventStream<Appointment> appointment, IMessageContext bus, TimeProvider time,
        IOptions<BookingSettings> settings)
    {
        var now = time.GetUtcNow();
        var decision = ConfirmAppointment.Decide(appointment.Aggregate!, command, now);
        await BookingContext.ScheduleFollowUpsAsync(bus, decision.Events, appointment.Aggregate, now, settings.Value);
        return appointment.Append(decision);
    }

    public sealed class Validator : AbstractValidator<ConfirmAppointment>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
            RuleFor(x => x.Reference).NotEmpty().MaximumLength(200);
        }
    }
}
