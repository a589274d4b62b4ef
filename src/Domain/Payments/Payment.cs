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

    private static readonly Guid Namespace = new("3c9d2f61-7b4e-4a1d-8e52-0f6a9b1c2d33");

    public static Guid StreamId(Guid appointmentId) => NameBasedGuid.Create(Namespace, $"payment/{appointmentId}");

    public static Payment From(PaymentRequested e) =>
        new(e.PaymentId, e.AppointmentId, e.PatientId, e.IntentId, e.AmountPence, e.Currency, PaymentStatus.Requested, null, []) { Route = e.Route };

    /// <summary>Paid: the intent that paid is the one refunds go to (a hosted page makes its own when the payer pays).</summary>
    public Payment When(PaymentSucceeded e) =>
        this with { IntentId = e.IntentId, Status = PaymentStatus.Succeeded, FailureCode = null, ProcessorEvents = [.. ProcessorEvents, e.ProcessorEventId] };

    public Payment When(RefundIssued e) => this with { RefundedPence = RefundedPence + e.AmountPence, Refunds = [.. Refunds, e.RefundId] };

    public Payment When(PaymentFailed e) =>
        this with { Status = Status == PaymentStatus.Succeeded ? Status : PaymentStatus.Failed, FailureCode = e.Code, ProcessorEvents = [.. ProcessorEvents, e.ProcessorEventId] };
}

/// <param name="IntentId">Stripe's intent, or its Checkout session for a hosted page (the intent is made when the payer pays).</param>
public sealed record PaymentRequested(
    Guid PaymentId, Guid AppointmentId, Guid PatientId, string IntentId, int AmountPence, string Currency, DateTimeOffset RequestedAt,
    PaymentRoute Route = PaymentRoute.Intent);

public sealed record PaymentSucceeded(Guid PaymentId, string IntentId, string ProcessorEventId, long AmountReceived, DateTimeOffset SucceededAt);

public sealed record PaymentFailed(Guid PaymentId, string IntentId, string ProcessorEventId, string? Code, DateTimeOffset FailedAt);

/// <summary>Money given back through Stripe: why (the cancellation policy, or a person's stated reason) and who decided.</summary>
/// <remarks>The reason is the patient's personal data (a person may write anything there): encrypted under their key.</remarks>
public sealed record RefundIssued(Guid PaymentId, string IntentId, string RefundId, int AmountPence, PersonalText Reason, DateTimeOffset IssuedAt);

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

        return amountPence < 1 || amountPence > payment.AmountPence - payment.RefundedPence
            ? Rejection.Unprocessable("refund-amount", $"A refund is from 1p to the {payment.AmountPence - payment.RefundedPence}p not yet refunded.")
            : null;
    }

    public static Decision Decide(Payment payment, string refundId, int amountPence, string reason, DateTimeOffset now) =>
        payment.Refunds.Contains(refundId) ? Decision.Accept()
        : Check(payment, amountPence) is { } refused ? refused
        : Decision.Accept(new RefundIssued(payment.Id, payment.IntentId, refundId, amountPence, PersonalText.Of(payment.PatientId, reason), now));
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
                Payment.StreamId(appointment.Id), appointment.Id, patientId, intentId, appointment.FeePence, currency, now, route));
}

/// <summary>
/// Applies what the card processor reports, once per processor event: a success for the amount asked settles the
/// payment; a failure is recorded and the hold stands until it lapses.
/// </summary>
public static class SettlePayment
{
    public static Decision Decide(
        Payment payment, string processorEventId, string intentId, bool succeeded, long amountReceived, string? failureCode, DateTimeOffset now)
    {
        if (payment.ProcessorEvents.Contains(processorEventId) || (succeeded && payment.Status == PaymentStatus.Succeeded))
        {
            return Decision.Accept();
        }

        if (!succeeded)
        {
            return payment.Status == PaymentStatus.Succeeded
                ? Decision.Accept()
                : Decision.Accept(new PaymentFailed(payment.Id, intentId, processorEventId, failureCode, now));
        }

        return amountReceived < payment.AmountPence
            ? Rejection.Unprocessable("short-payment", $"The processor reports {amountReceived}p received of {payment.AmountPence}p.")
            : Decision.Accept(new PaymentSucceeded(payment.Id, intentId, processorEventId, amountReceived, now));
    }
}
