namespace EventSourcedClinic.Integrations.Payments;

/// <summary>A payment for one appointment as the card processor holds it; the client secret lets the payer's device confirm it.</summary>
public sealed record PaymentIntentInfo(string IntentId, string ClientSecret, string Status, long Amount, string Currency);

/// <summary>A hosted payment page: where to send the payer.</summary>
public sealed record CheckoutInfo(string SessionId, string Url);

/// <summary>A refund the card processor has made.</summary>
public sealed record RefundInfo(string RefundId, long Amount, string Status);

/// <summary>What a verified notification from the card processor says happened to a payment.</summary>
public sealed record PaymentNotification(string EventId, string Type, string IntentId, Guid? AppointmentId, long AmountReceived, string? FailureCode);

/// <summary>
/// The port through which the Payments area takes card payments (ADR 0013). Card data never reaches the clinic: the
/// payer's device confirms the intent with the processor, and the processor tells the clinic by a signed notification.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Creates the intent for an amount the clinic decided; the same idempotency key never charges twice.</summary>
    Task<PaymentIntentInfo> CreateIntentAsync(Guid appointmentId, int amountPence, string idempotencyKey, CancellationToken cancellation);

    Task<PaymentIntentInfo> GetIntentAsync(string intentId, CancellationToken cancellation);

    /// <summary>The notification if its signature is the processor's and fresh; otherwise null (forged, replayed late, unreadable).</summary>
    PaymentNotification? ReadNotification(string payload, string signatureHeader);

    /// <summary>
    /// A page hosted by the processor where the payer enters their card (Stripe Checkout), for an amount the clinic
    /// decided; it sends the payer back to <paramref name="successUrl"/> or <paramref name="cancelUrl"/>.
    /// </summary>
    Task<CheckoutInfo> CreateCheckoutAsync(
        Guid appointmentId, int amountPence, string description, string successUrl, string cancelUrl, string idempotencyKey, CancellationToken cancellation);

    /// <summary>Gives back part or all of a payment; the same idempotency key never refunds twice.</summary>
    Task<RefundInfo> RefundAsync(string intentId, int amountPence, string idempotencyKey, CancellationToken cancellation);
}

/// <summary>The processor did not answer, or answered with a failure of its own: try again later; nothing was charged twice.</summary>
public sealed class PaymentProviderUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
