namespace EventSourcedClinic.Domain.Scheduling.Booking;

/// <summary>
/// Moves a held or confirmed appointment to another free time of the same therapist. The new time passes the same rules
/// as a new booking; the old time is released in the same transaction that takes the new one.
/// </summary>
public sealed record RescheduleAppointment(long ExpectedVersion, DateTimeOffset NewStart) : IExpectVersion
{
    public static Decision Decide(
        Appointment appointment, RescheduleAppointment command, CancelledBy by, TherapistTerms therapist,
        Availability.Availability? availability, CancellationPolicy policy, DateTimeOffset now)
    {
        if (!appointment.HoldsTheSlot)
        {
            return Rejection.Conflict("not-reschedulable", $"An appointment that is {appointment.Status} cannot be moved.");
        }

        if (appointment.Status == AppointmentStatus.Held && now >= appointment.HoldExpiresAt)
        {
            return Rejection.Conflict("hold-expired", "The hold on this time has lapsed; book again.");
        }

        if (by == CancelledBy.Patient && appointment.Start - now < TimeSpan.FromHours(policy.LateCancellationHours))
        {
            return Rejection.Unprocessable("late-reschedule",
                $"A session can be moved by the patient until {policy.LateCancellationHours} hours before it starts.");
        }

        if (command.NewStart == appointment.Start)
        {
            return Decision.Accept();
        }

        if (BookingRules.Check(therapist, availability, command.NewStart, now) is { } broken)
        {
            return broken;
        }

        var length = appointment.End - appointment.Start;
        var newStart = command.NewStart.ToUniversalTime();
        return Decision.Accept(new AppointmentRescheduled(appointment.Id, appointment.Start, appointment.End, newStart, newStart + length, by, now));
    }
}

public sealed record AppointmentRescheduled(
    Guid AppointmentId, DateTimeOffset OldStart, DateTimeOffset OldEnd, DateTimeOffset NewStart, DateTimeOffset NewEnd,
    CancelledBy MovedBy, DateTimeOffset RescheduledAt);
