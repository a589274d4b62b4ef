using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Scheduling.Reminders;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Scheduling;

/// <summary>Folds an Appointment stream into the domain's <see cref="Appointment"/> for the command side (live).</summary>
public sealed class AppointmentAggregation : SingleStreamProjection<Appointment, Guid>
{
    public static Appointment Create(AppointmentHeld e) => Appointment.Create(e);

    public static Appointment Apply(AppointmentConfirmed e, Appointment a) => a.Apply(e);

    public static Appointment Apply(HoldExpired e, Appointment a) => a.Apply(e);

    public static Appointment Apply(AppointmentCancelled e, Appointment a) => a.Apply(e);

    public static Appointment Apply(AppointmentRescheduled e, Appointment a) => a.Apply(e);

    public static Appointment Apply(SessionStarted e, Appointment a) => a.Apply(e);

    public static Appointment Apply(SessionCompleted e, Appointment a) => a.Apply(e);

    public static Appointment Apply(PatientDidNotAttend e, Appointment a) => a.Apply(e);

    public static Appointment Apply(ReminderSent e, Appointment a) => a.Apply(e);
}
