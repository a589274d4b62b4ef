namespace EventSourcedClinic.Domain.Scheduling.Booking;

/// <summary>
/// The seam the payment flow sends through once a self-pay session is paid (and an admin may send by hand until it exists).
/// </summary>
public sealed record ConfirmAppointment(long ExpectedVersion, string Reference) : IExpectVersion
{
    public static Decision Decide(Appointment appointment, ConfirmAppointment command, DateTimeOffset now) => appointment.Status switch
    {
        AppointmentStatus.Held when now >= appointment.HoldExpiresAt =>
            Rejection.Conflict("hold-expired", "The hold on this time has lapsed; book again."),
        AppointmentStatus.Held => Decision.Accept(new AppointmentConfirmed(appointment.Id, appointment.Funding, command.Reference.Trim(), now)),
        AppointmentStatus.Confirmed => Rejection.Conflict("already-confirmed", "This appointment is already confirmed."),
        AppointmentStatus.HoldExpired => Rejection.Conflict("hold-expired", "The hold on this time has lapsed; book again."),
        _ => Rejection.Conflict("not-held", $"An appointment that is {appointment.Status} cannot be confirmed."),
    };
}

public sealed record AppointmentConfirmed(Guid AppointmentId, Funding Funding, string Reference, DateTimeOffset ConfirmedAt);

/// <summary>Sent by the clinic itself when a hold's time is up; a hold confirmed or cancelled meanwhile is left alone.</summary>
public sealed record ExpireHold(Guid AppointmentId)
{
    public static Decision Decide(Appointment appointment, DateTimeOffset now) =>
        appointment.Status == AppointmentStatus.Held && now >= appointment.HoldExpiresAt
            ? Decision.Accept(new HoldExpired(appointment.Id, now))
            : Decision.Accept();
}

public sealed record HoldExpired(Guid AppointmentId, DateTimeOffset ExpiredAt);

/// <summary>
/// A payment that arrived after its hold lapsed takes the time again, when nobody else has taken it meanwhile: the
/// clinic checks the time is free, and the slot claims refuse an overlap at commit all the same (ADR 0006, 0013).
/// </summary>
public static class ReinstateLapsedHold
{
    public static Decision Decide(Appointment appointment, string reference, DateTimeOffset now) => appointment.Status == AppointmentStatus.HoldExpired
        ? Decision.Accept(new LapsedHoldPaid(appointment.Id, appointment.TherapistId, appointment.PatientId, appointment.Start, appointment.End, reference, now))
        : Decision.Accept();
}

/// <summary>A lapsed hold was paid and its time was still free: it is confirmed, and its time claimed again.</summary>
public sealed record LapsedHoldPaid(
    Guid AppointmentId, Guid TherapistId, Guid PatientId, DateTimeOffset Start, DateTimeOffset End, string Reference, DateTimeOffset PaidAt);
