namespace EventSourcedClinic.Integrations.Payments;

/// <summary>A payment for one appointment as the card processor holds it; the client secret lets the payer's device confirm it.</summary>
public sealed record PaymentIntentInfo(string IntentId, string ClientSecret, string Status, long Amount, string Currency);

/// <summary>A hosted payment page: where to send the payer.</summary>
public sealed record CheckoutInfo(string SessionId, string Url);

/// <summary>A refund the card processor has made.</summary>
public sealed record RefundInfo(string RefundId, long Amount, string Status, DateTimeOffset CreatedAt);

/// <summary>
/// A verified notification from the card processor: its id (applied once), its type, when the processor made it, and
/// what it is about (one of the parts below, or none for a type the clinic does not act on).
/// </summary>
public sealed record PaymentNotification(string EventId, string Type, DateTimeOffset CreatedAt)
{
    public IntentNotice? Intent { get; init; }

    /// <summary>charge.refunded: the refunds of the charge made outside the clinic (in Stripe's dashboard); the clinic records its own.</summary>
    public RefundNotice[] Refunds { get; init; } = [];

    public DisputeNotice? Dispute { get; init; }

    public AccountNotice? Account { get; init; }

    public SetupNotice? Setup { get; init; }
}

/// <summary>What happened to a payment intent: paid (through which charge) or failed (with the processor's code).</summary>
public sealed record IntentNotice(string IntentId, Guid? AppointmentId, long AmountReceived, string? FailureCode, string? ChargeId);

public sealed record RefundNotice(string RefundId, string IntentId, long Amount, DateTimeOffset CreatedAt);

public sealed record DisputeNotice(string DisputeId, string IntentId, long Amount, string Reason, DateTimeOffset CreatedAt);

/// <summary>A connected (therapist's) account's state, as Stripe reports it by account.updated.</summary>
public sealed record AccountNotice(string AccountId, bool DetailsSubmitted, bool ChargesEnabled, bool PayoutsEnabled);

/// <summary>A card saved for later use (setup_intent.succeeded).</summary>
public sealed record SetupNotice(string SetupIntentId, string? CustomerId, string? PaymentMethodId, Guid? PatientId);

/// <summary>A card a customer saved: only the processor's id, brand, last four digits and expiry, never the number.</summary>
public sealed record SavedCardInfo(string PaymentMethodId, string? CustomerId, string Brand, string Last4, int ExpiryMonth, int ExpiryYear);

/// <summary>A setup that the payer's device confirms with a card (Stripe.js or a mobile SDK), saving it without a payment.</summary>
public sealed record CardSetupInfo(string SetupIntentId, string ClientSecret);

/// <summary>The card was declined: the processor's code and decline code, for a 402 the payer can act on.</summary>
public sealed class PaymentDeclinedException(string code, string? declineCode, string message, string? intentId) : Exception(message)
{
    public string Code { get; } = code;

    public string? DeclineCode { get; } = declineCode;

    public string? IntentId { get; } = intentId;
}

/// <summary>
/// The port through which the Payments area takes card payments (ADR 0013). Card data never reaches the clinic: the
/// payer's device confirms the intent with the processor, and the processor tells the clinic by a signed notification.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>
    /// Creates the intent for an amount the clinic decided; the same idempotency key never charges twice. With a saved
    /// card (its customer and method) it is confirmed at once: declined is a <see cref="PaymentDeclinedException"/>.
    /// </summary>
    Task<PaymentIntentInfo> CreateIntentAsync(
        Guid appointmentId, int amountPence, string idempotencyKey, CancellationToken cancellation, SavedCardInfo? savedCard = null);

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

    /// <summary>The processor's customer for a patient (only the patient's id in its metadata, no name or address).</summary>
    Task<string> CreateCustomerAsync(Guid patientId, string idempotencyKey, CancellationToken cancellation);

    /// <summary>A setup with which the payer's device saves a card to the customer, without paying.</summary>
    Task<CardSetupInfo> CreateCardSetupAsync(string customerId, Guid patientId, string idempotencyKey, CancellationToken cancellation);

    Task<SavedCardInfo> GetCardAsync(string paymentMethodId, CancellationToken cancellation);

    /// <summary>Forgets a saved card at the processor: it can no longer be charged.</summary>
    Task DetachCardAsync(string paymentMethodId, CancellationToken cancellation);
}

/// <summary>A therapist's payout account at the processor, and whether it can take money.</summary>
public sealed record PayoutAccountInfo(string AccountId, bool DetailsSubmitted, bool ChargesEnabled, bool PayoutsEnabled);

/// <summary>Money moved to a therapist's account, by the processor's clock.</summary>
public sealed record TransferInfo(string TransferId, long Amount, DateTimeOffset CreatedAt);

/// <summary>One movement of the clinic's balance at the processor: a charge, refund, transfer or dispute (its source is that object's id).</summary>
public sealed record BalanceEntry(string Id, string Type, long Amount, long Fee, string? SourceId, DateTimeOffset CreatedAt);

/// <summary>
/// The port through which therapists are paid (Stripe Connect, Express accounts) and the clinic's balance is read for
/// reconciliation (ADR 0014).
/// </summary>
public interface IPayoutProvider
{
    /// <summary>Opens a connected account for a therapist (their id in its metadata); the same key opens it once.</summary>
    Task<PayoutAccountInfo> CreateAccountAsync(Guid therapistId, string idempotencyKey, CancellationToken cancellation);

    Task<PayoutAccountInfo> GetAccountAsync(string accountId, CancellationToken cancellation);

    /// <summary>Stripe's onboarding page for the account, which returns the therapist to <paramref name="returnUrl"/>.</summary>
    Task<string> CreateOnboardingLinkAsync(string accountId, string returnUrl, string refreshUrl, CancellationToken cancellation);

    /// <summary>A one-time sign-in to the therapist's own Express dashboard (their payouts to their bank).</summary>
    Task<string> CreateDashboardLinkAsync(string accountId, CancellationToken cancellation);

    /// <summary>Moves the therapist's share of a session from its charge to their account; the same key moves it once.</summary>
    Task<TransferInfo> TransferAsync(
        string accountId, int amountPence, string sourceChargeId, Guid appointmentId, string idempotencyKey, CancellationToken cancellation);

    /// <summary>The clinic's balance movements created in [from, to), by the processor's clock.</summary>
    IAsyncEnumerable<BalanceEntry> ListBalanceAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellation);
}

/// <summary>The processor did not answer, or answered with a failure of its own: try again later; nothing was charged twice.</summary>
public sealed class PaymentProviderUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
