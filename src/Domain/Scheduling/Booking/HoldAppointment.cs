namespace EventSourcedClinic.Domain.Scheduling.Booking;

/// <summary>
/// A patient asks for a therapist's slot and gets a hold that lapses after the clinic's hold time unless the session is
/// funded. NHS-funded (booked by the clinic) and free sessions are confirmed at once; self-pay waits for payment.
/// </summary>
public sealed record HoldAppointment(Guid TherapistId, DateTimeOffset Start, Funding Funding = Funding.SelfPay)
{
    public static Decision Decide(
        Guid appointmentId, Guid patientId, HoldAppointment command, TherapistTerms therapist, Availability.Availability? availability,
        TimeSpan holdFor, DateTimeOffset now)
    {
        if (BookingRules.Check(therapist, availability, command.Start, now) is { } broken)
        {
            return broken;
        }

        // Events hold instants in UTC, whatever offset the caller wrote the time with.
        var start = command.Start.ToUniversalTime();

        var funding = therapist.FeePence == 0 ? Funding.Free : command.Funding;
        var held = new AppointmentHeld(appointmentId, therapist.TherapistId, patientId, start,
            start.AddMinutes(therapist.SessionMinutes), funding == Funding.SelfPay ? therapist.FeePence : 0, funding, now + holdFor, now);
        return funding == Funding.SelfPay
            ? Decision.Accept(held)
            : Decision.Accept(held, new AppointmentConfirmed(appointmentId, funding, $"{funding} funding", now));
    }
}

public sealed record AppointmentHeld(
    Guid AppointmentId,
    Guid TherapistId,
    Guid PatientId,
    DateTimeOffset Start,
    DateTimeOffset End,
    int FeePence,
    Funding Funding,
    DateTimeOffset HoldExpiresAt,
    DateTimeOffset HeldAt);
