namespace EventSourcedClinic.Domain.Scheduling.Booking;

/// <summary>Who is cancelling, for the cancellation policy.</summary>
public enum CancelledBy
{
    Patient,
    Therapist,
    Clinic,
}

/// <summary>The clinic's cancellation policy: a patient cancelling a paid session inside the late window forfeits the fee.</summary>
public sealed record CancellationPolicy(int LateCancellationHours = 24);

/// <summary>The patient, the therapist or the clinic cancels with a reason; the outcome for billing is decided here.</summary>
public sealed record CancelAppointment(long ExpectedVersion, string Reason) : IExpectVersion
{
    public static Decision Decide(
        Appointment appointment, CancelAppointment command, CancelledBy by, CancellationPolicy policy, DateTimeOffset now)
    {
        if (!appointment.HoldsTheSlot)
        {
            return Rejection.Conflict("not-cancellable", $"An appointment that is {appointment.Status} cannot be cancelled.");
        }

        var paid = appointment.Status == AppointmentStatus.Confirmed && appointment.Funding == Funding.SelfPay;
        var late = appointment.Start - now < TimeSpan.FromHours(policy.LateCancellationHours);
        var outcome = !paid ? FeeOutcome.NothingCharged
            : by == CancelledBy.Patient && late ? FeeOutcome.FeeForfeited
            : FeeOutcome.FullRefund;
        return Decision.Accept(new AppointmentCancelled(
            appointment.Id, by, PersonalText.Of(appointment.PatientId, command.Reason.Trim()), outcome, outcome == FeeOutcome.FullRefund ? appointment.FeePence : 0, now));
    }
}

public sealed record AppointmentCancelled(
    Guid AppointmentId, CancelledBy CancelledBy, PersonalText Reason, FeeOutcome FeeOutcome, int RefundPence, DateTimeOffset CancelledAt);
