using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Domain.Payments;

/// <summary>How the payer pays: confirming an intent on their device (Stripe.js, a mobile SDK), or on a hosted page.</summary>
public enum PaymentRoute
{
    Intent,
    HostedPage,
}

public enum PaymentStatus
{
    Requested,
    Succeeded,
    Failed,
}

/// <summary>
/// The payment for one appointment, as its stream tells it (ADR 0013): requested for the fee the clinic set, then
/// succeeded or failed as the card processor reports. Each processor event is applied once, by its id.
/// </summary>
public sealed record Payment(
    Guid Id, Guid AppointmentId, Guid PatientId, string IntentId, int AmountPence, string Currency, PaymentStatus Status, string? FailureCode,
    string[] ProcessorEvents)
{
    /// <summary>What has been given back, by refunds that Stripe has made.</summary>
    public int RefundedPence { get; init; }

    /// <summary>The way this payment was started; it is finished the same way, so that one hold is never paid twice.</summary>
    public PaymentRoute Route { get; init; }

    public string[] Refunds { get; init; } = [];

    /// <summary>The therapist whose session this pays for, who is paid their share once it has taken place.</summary>
    public Guid TherapistId { get; init; }

    /// <summary>Stripe's charge behind the payment: what a transfer to the therapist is drawn from.</summary>
    public string? ChargeId { get; init; }

    /// <summary>Set once the session has taken place (or its fee was kept): what the therapist and the clinic each earned.</summary>
    public SessionFeeEarned? Earned { get; init; }

    /// <summary>The therapist's share, moved to their Stripe account; at most once.</summary>
    public TherapistTransferred? Transfer { get; init; }

    /// <summary>Disputes the cardholder's bank raised, by Stripe's dispute id.</summary>
    public string[] Disputes { get; init; } = [];

    /// <summary>Pence taken back by the payer's bank in disputes.</summary>
    public int DisputedPence { get; init; }

    /// <summary>Second successful payments for a session already paid (two hosted pages paid): each is given back whole.</summary>
    public DuplicatePaymentReceived[] Duplicates { get; init; } = [];

    private static readonly Guid Namespace = new("3c9d2f61-7b4e-4a1d-8e52-0f6a9b1c2d33");

    public static Guid StreamId(Guid appointmentId) => NameBasedGuid.Create(Namespace, $"payment/{appointmentId}");

    public static Payment From(PaymentRequested e) =>
        new(e.PaymentId, e.AppointmentId, e.PatientId, e.IntentId, e.AmountPence, e.Currency, PaymentStatus.Requested, null, [])
        {
            Route = e.Route, TherapistId = e.TherapistId,
        };

    /// <summary>Paid: the intent that paid is the one refunds go to (a hosted page makes its own when the payer pays).</summary>
    public Payment When(PaymentSucceeded e) =>
        this with
        {
            IntentId = e.IntentId, ChargeId = e.ChargeId, Status = PaymentStatus.Succeeded, FailureCode = null,
            ProcessorEvents = [.. ProcessorEvents, e.ProcessorEventId],
        };

    /// <summary>A refund of the payment, or of a duplicate payment (which leaves the payment's own amount alone).</summary>
    public Payment When(RefundIssued e) => Duplicates.Any(d => d.IntentId == e.IntentId)
        ? this with { Refunds = [.. Refunds, e.RefundId] }
        : this with { RefundedPence = RefundedPence + e.AmountPence, Refunds = [.. Refunds, e.RefundId] };

    public Payment When(SessionFeeEarned e) => this with { Earned = e };

    public Payment When(TherapistTransferred e) => this with { Transfer = e };

    public Payment When(DisputeOpened e) => this with { Disputes = [.. Disputes, e.DisputeId], DisputedPence = DisputedPence + e.AmountPence, ProcessorEvents = [.. ProcessorEvents, e.ProcessorEventId] };

    public Payment When(DuplicatePaymentReceived e) => this with { Duplicates = [.. Duplicates, e], ProcessorEvents = [.. ProcessorEvents, e.ProcessorEventId] };

    /// <summary>What can still be refunded: paid, less refunds already made.</summary>
    public int RefundablePence => Status == PaymentStatus.Succeeded ? AmountPence - RefundedPence : 0;

    /// <summary>What is left of the payment: paid, less refunds and disputes.</summary>
    public int KeptPence => Status == PaymentStatus.Succeeded ? Math.Max(0, AmountPence - RefundedPence - DisputedPence) : 0;

    public Payment When(PaymentFailed e) =>
        this with { Status = Status == PaymentStatus.Succeeded ? Status : PaymentStatus.Failed, FailureCode = e.Code, ProcessorEvents = [.. ProcessorEvents, e.ProcessorEventId] };
}

/// <param name="IntentId">Stripe's intent, or its Checkout session for a hosted page (the intent is made when the payer pays).</param>
public sealed record PaymentRequested(
    Guid PaymentId, Guid AppointmentId, Guid PatientId, string IntentId, int AmountPence, string Currency, DateTimeOffset RequestedAt,
    PaymentRoute Route = PaymentRoute.Intent, Guid TherapistId = default);

/// <param name="ChargeId">Stripe's charge (its balance transaction's source), for transfers and reconciliation.</param>
/// <param name="ProcessorAt">When Stripe made the charge, by Stripe's clock: the day it is reconciled on.</param>
public sealed record PaymentSucceeded(
    Guid PaymentId, string IntentId, string ProcessorEventId, long AmountReceived, DateTimeOffset SucceededAt, string? ChargeId = null,
    DateTimeOffset? ProcessorAt = null);

/// <summary>
/// The session took place, or the patient forfeited its fee (did not attend, cancelled late): what is left of the payment
/// is earned, the clinic's commission from it and the therapist's share.
/// </summary>
public sealed record SessionFeeEarned(
    Guid PaymentId, Guid TherapistId, DateTimeOffset SessionStart, int EarnedPence, int CommissionPence, DateTimeOffset EarnedAt)
{
    public int TherapistSharePence => EarnedPence - CommissionPence;
}

/// <summary>The therapist's share, moved by Stripe to their connected account (a transfer drawn from the session's charge).</summary>
public sealed record TherapistTransferred(
    Guid PaymentId, Guid TherapistId, string AccountId, string TransferId, int AmountPence, DateTimeOffset TransferredAt, DateTimeOffset? ProcessorAt);

/// <summary>The payer's bank disputes the payment; Stripe takes the amount back from the clinic's balance at once.</summary>
/// <param name="Reason">Stripe's reason code (fraudulent, duplicate, ...), not anyone's words.</param>
public sealed record DisputeOpened(
    Guid PaymentId, string DisputeId, int AmountPence, string Reason, string ProcessorEventId, DateTimeOffset OpenedAt, DateTimeOffset? ProcessorAt);

/// <summary>A second success for a session already paid (the payer paid on two hosted pages): it is refunded whole.</summary>
public sealed record DuplicatePaymentReceived(
    Guid PaymentId, string IntentId, string? ChargeId, int AmountPence, string ProcessorEventId, DateTimeOffset ReceivedAt, DateTimeOffset? ProcessorAt);

public sealed record PaymentFailed(Guid PaymentId, string IntentId, string ProcessorEventId, string? Code, DateTimeOffset FailedAt);

/// <summary>Money given back through Stripe: why (the cancellation policy, or a person's stated reason) and who decided.</summary>
/// <remarks>The reason is the patient's personal data (a person may write anything there): encrypted under their key.</remarks>
public sealed record RefundIssued(
    Guid PaymentId, string IntentId, string RefundId, int AmountPence, PersonalText Reason, DateTimeOffset IssuedAt, DateTimeOffset? ProcessorAt = null);

/// <summary>
/// Records a refund Stripe has made: only of a payment that succeeded, never more than is left of it, and each Stripe
/// refund once.
/// </summary>
public static class IssueRefund
{
    public static Rejection? Check(Payment payment, int amountPence)
    {
        if (payment.Status != PaymentStatus.Succeeded)
        {
            return Rejection.Conflict("not-paid", "Only a payment that succeeded is refunded.");
        }

        return amountPence < 1 || amountPence > payment.RefundablePence
            ? Rejection.Unprocessable("refund-amount", $"A refund is from 1p to the {payment.RefundablePence}p not yet refunded.")
            : null;
    }

    public static Decision Decide(
        Payment payment, string refundId, int amountPence, string reason, DateTimeOffset now, DateTimeOffset? processorAt = null, string? intentId = null)
    {
        if (payment.Refunds.Contains(refundId))
        {
            return Decision.Accept();
        }

        if (intentId is not null && intentId != payment.IntentId)
        {
            // A duplicate payment's refund: never more than that duplicate.
            return payment.Duplicates.FirstOrDefault(d => d.IntentId == intentId) is { } duplicate && amountPence <= duplicate.AmountPence
                ? Decision.Accept(new RefundIssued(payment.Id, intentId, refundId, amountPence, PersonalText.Of(payment.PatientId, reason), now, processorAt))
                : Rejection.Unprocessable("refund-amount", "That refund is not of this payment.");
        }

        return Check(payment, amountPence) is { } refused
            ? refused
            : Decision.Accept(new RefundIssued(payment.Id, payment.IntentId, refundId, amountPence, PersonalText.Of(payment.PatientId, reason), now, processorAt));
    }
}

/// <summary>A patient pays for their own held, self-pay session; the amount is the fee on the hold, never the client's.</summary>
public static class RequestPayment
{
    public static Rejection? Check(Appointment appointment, Guid patientId, DateTimeOffset now)
    {
        if (appointment.PatientId != patientId)
        {
            return Rejection.NotFound("not-found", "No appointment with that id.");
        }

        if (appointment.Funding != Funding.SelfPay || appointment.FeePence == 0)
        {
            return Rejection.Unprocessable("nothing-to-pay", "This session is not paid for by the patient.");
        }

        if (appointment.Status != AppointmentStatus.Held)
        {
            return Rejection.Conflict("not-held", $"Only a held session is paid for; this one is {appointment.Status}.");
        }

        return now >= appointment.HoldExpiresAt
            ? Rejection.Conflict("hold-expired", "The hold on this time has lapsed; book the time again.")
            : null;
    }

    public static Decision Decide(
        Appointment appointment, Guid patientId, string intentId, string currency, DateTimeOffset now, PaymentRoute route = PaymentRoute.Intent) =>
        Check(appointment, patientId, now) is { } refused
            ? refused
            : Decision.Accept(new PaymentRequested(
                Payment.StreamId(appointment.Id), appointment.Id, patientId, intentId, appointment.FeePence, currency, now, route, appointment.TherapistId));
}

/// <summary>
/// Applies what the card processor reports, once per processor event: a success for the amount asked settles the
/// payment; a failure is recorded and the hold stands until it lapses.
/// </summary>
public static class SettlePayment
{
    public static Decision Decide(
        Payment payment, string processorEventId, string intentId, bool succeeded, long amountReceived, string? failureCode, DateTimeOffset now,
        string? chargeId = null, DateTimeOffset? processorAt = null)
    {
        if (payment.ProcessorEvents.Contains(processorEventId))
        {
            return Decision.Accept();
        }

        if (succeeded && payment.Status == PaymentStatus.Succeeded)
        {
            // The same intent reported again, or a second intent that also took the payer's money: that one goes back.
            return intentId == payment.IntentId || payment.Duplicates.Any(d => d.IntentId == intentId)
                ? Decision.Accept()
                : Decision.Accept(new DuplicatePaymentReceived(payment.Id, intentId, chargeId, (int)amountReceived, processorEventId, now, processorAt));
        }

        if (!succeeded)
        {
            return payment.Status == PaymentStatus.Succeeded
                ? Decision.Accept()
                : Decision.Accept(new PaymentFailed(payment.Id, intentId, processorEventId, failureCode, now));
        }

        return amountReceived < payment.AmountPence
            ? Rejection.Unprocessable("short-payment", $"The processor reports {amountReceived}p received of {payment.AmountPence}p.")
            : Decision.Accept(new PaymentSucceeded(payment.Id, intentId, processorEventId, amountReceived, now, chargeId, processorAt));
    }
}

/// <summary>
/// The session took place, or its fee was kept under the cancellation policy: what is left of the payment is earned,
/// the clinic keeping its commission (rounded to the penny) and the therapist the rest. Once per payment.
/// </summary>
public static class EarnSessionFee
{
    public static Decision Decide(Payment payment, DateTimeOffset sessionStart, decimal commissionPercent, DateTimeOffset now)
    {
        if (payment.Earned is not null || payment.KeptPence == 0)
        {
            return Decision.Accept();
        }

        var commission = (int)Math.Round(payment.KeptPence * commissionPercent / 100m, MidpointRounding.AwayFromZero);
        return Decision.Accept(new SessionFeeEarned(payment.Id, payment.TherapistId, sessionStart, payment.KeptPence, commission, now));
    }
}

/// <summary>
/// The therapist's share moves to their Stripe account after the session (never before), once, and not while the
/// payment is disputed.
/// </summary>
public static class TransferEarnings
{
    /// <summary>What is to be transferred now, or null when nothing is.</summary>
    public static int? Due(Payment payment) =>
        payment is { Earned: { } earned, Transfer: null, Disputes.Length: 0, ChargeId: not null } && earned.TherapistSharePence > 0
            ? earned.TherapistSharePence
            : null;

    public static Decision Decide(Payment payment, string accountId, string transferId, int amountPence, DateTimeOffset now, DateTimeOffset? processorAt) =>
        payment.Transfer is not null ? Decision.Accept()
        : Due(payment) != amountPence ? Rejection.Conflict("not-due", "Nothing is due to the therapist for this payment.")
        : Decision.Accept(new TherapistTransferred(payment.Id, payment.TherapistId, accountId, transferId, amountPence, now, processorAt));
}

/// <summary>A dispute the cardholder's bank opened, recorded once.</summary>
public static class RecordDispute
{
    public static Decision Decide(Payment payment, string disputeId, int amountPence, string reason, string processorEventId, DateTimeOffset now, DateTimeOffset processorAt) =>
        payment.Disputes.Contains(disputeId) || payment.ProcessorEvents.Contains(processorEventId)
            ? Decision.Accept()
            : Decision.Accept(new DisputeOpened(payment.Id, disputeId, amountPence, reason, processorEventId, now, processorAt));
}
