using Stripe;

namespace EventSourcedClinic.Integrations.Payments;

/// <summary>The "Payments:Stripe" section: keys for Stripe itself (test or live), or for the local fake with its ApiBase.</summary>
public sealed class StripeSettings
{
    public const string Section = "Payments:Stripe";

    /// <summary>The secret key ("sk_test_..." or "sk_live_..."); it never leaves the server.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The publishable key ("pk_...") that the payer's device uses to confirm a payment.</summary>
    public string PublishableKey { get; set; } = "";

    /// <summary>The endpoint secret ("whsec_...") that signs the notifications Stripe sends to /webhooks/stripe.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Empty for Stripe itself; the local fake's address for the demo and the tests.</summary>
    public string? ApiBase { get; set; }

    /// <summary>How old a notification's signature may be before it is refused as a replay (Stripe's default is 300 s).</summary>
    public int SignatureToleranceSeconds { get; set; } = 300;

    public string Currency { get; set; } = "gbp";

    /// <summary>
    /// The secret of a Connect webhook endpoint, when account.updated comes to a separate endpoint with its own secret
    /// (as Stripe sets it up); empty: the one secret above signs every notification.
    /// </summary>
    public string ConnectWebhookSecret { get; set; } = "";

    /// <summary>The country in which therapists' connected accounts are opened.</summary>
    public string ConnectCountry { get; set; } = "GB";
}

/// <summary>Stripe through its own SDK (Stripe.net): real keys reach Stripe, the fake's ApiBase reaches the fake, with no code change.</summary>
public sealed partial class StripePaymentProvider(StripeSettings settings) : IPaymentProvider, IPayoutProvider
{
    /// <summary>
    /// Marks a refund the clinic made itself (it records those as it makes them, with their reason), so that Stripe's
    /// charge.refunded brings in only the refunds made elsewhere (in Stripe's dashboard).
    /// </summary>
    private const string ClinicRefund = "clinic_refund";

    // Made on first use: a clinic without card payments configured starts, and answers 503 when asked to take one.
    private readonly Lazy<StripeClient> _client = new(() => new StripeClient(new StripeClientOptions
    {
        ApiKey = settings.SecretKey,
        ApiBase = string.IsNullOrWhiteSpace(settings.ApiBase) ? null : settings.ApiBase,
    }));

    private PaymentIntentService Intents => new(_client.Value);

    private RefundService Refunds => new(_client.Value);

    public async Task<PaymentIntentInfo> CreateIntentAsync(
        Guid appointmentId, int amountPence, string idempotencyKey, CancellationToken cancellation, SavedCardInfo? savedCard = null)
    {
        var options = new PaymentIntentCreateOptions
        {
            Amount = amountPence,
            Currency = settings.Currency,
            Metadata = new Dictionary<string, string> { ["appointment_id"] = appointmentId.ToString() },
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
            TransferGroup = $"appointment-{appointmentId}",
        };
        if (savedCard is not null)
        {
            // A card saved earlier, confirmed now while the payer is present (3-D Secure may still be asked for).
            options.Customer = savedCard.CustomerId;
            options.PaymentMethod = savedCard.PaymentMethodId;
            options.Confirm = true;
            options.AutomaticPaymentMethods.AllowRedirects = "never";
        }

        return Info(await Call(() => Intents.CreateAsync(options, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation)));
    }

    public async Task<CheckoutInfo> CreateCheckoutAsync(
        Guid appointmentId, int amountPence, string description, string successUrl, string cancelUrl, string idempotencyKey, CancellationToken cancellation)
    {
        var metadata = new Dictionary<string, string> { ["appointment_id"] = appointmentId.ToString() };
        var options = new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            Metadata = metadata,
            PaymentIntentData = new Stripe.Checkout.SessionPaymentIntentDataOptions { Metadata = metadata },
            LineItems =
            [
                new Stripe.Checkout.SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new Stripe.Checkout.SessionLineItemPriceDataOptions
                    {
                        Currency = settings.Currency, UnitAmount = amountPence,
                        ProductData = new Stripe.Checkout.SessionLineItemPriceDataProductDataOptions { Name = description },
                    },
                },
            ],
        };
        var session = await Call(() => new Stripe.Checkout.SessionService(_client.Value).CreateAsync(options, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation));
        return new CheckoutInfo(session.Id, session.Url);
    }

    public async Task<RefundInfo> RefundAsync(string intentId, int amountPence, string idempotencyKey, CancellationToken cancellation)
    {
        var refund = await Call(() => Refunds.CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = intentId, Amount = amountPence, Metadata = new Dictionary<string, string> { [ClinicRefund] = "true" },
            },
            new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation));
        return new RefundInfo(refund.Id, refund.Amount, refund.Status, new DateTimeOffset(refund.Created, TimeSpan.Zero));
    }

    public async Task<PaymentIntentInfo> GetIntentAsync(string intentId, CancellationToken cancellation) =>
        Info(await Call(() => Intents.GetAsync(intentId, null, null, cancellation)));

    public PaymentNotification? ReadNotification(string payload, string signatureHeader)
    {
        if ((Verify(payload, signatureHeader, settings.WebhookSecret) ?? Verify(payload, signatureHeader, settings.ConnectWebhookSecret)) is not { } e)
        {
            return null;
        }

        var notification = new PaymentNotification(e.Id, e.Type, new DateTimeOffset(e.Created, TimeSpan.Zero));
        return e.Data?.Object switch
        {
            PaymentIntent intent => notification with
            {
                Intent = new IntentNotice(intent.Id, IdIn(intent.Metadata, "appointment_id"), intent.AmountReceived, intent.LastPaymentError?.Code, intent.LatestChargeId),
            },
            Charge charge when e.Type == "charge.refunded" => notification with
            {
                Refunds = (charge.Refunds?.Data ?? []).Where(r => r.Status is "succeeded" or "pending" && r.Metadata?.ContainsKey(ClinicRefund) != true)
                    .Select(r => new RefundNotice(r.Id, charge.PaymentIntentId, r.Amount, new DateTimeOffset(r.Created, TimeSpan.Zero))).ToArray(),
            },
            Dispute dispute => notification with
            {
                Dispute = new DisputeNotice(dispute.Id, dispute.PaymentIntentId, dispute.Amount, dispute.Reason, new DateTimeOffset(dispute.Created, TimeSpan.Zero)),
            },
            Account account => notification with { Account = new AccountNotice(account.Id, account.DetailsSubmitted, account.ChargesEnabled, account.PayoutsEnabled) },
            SetupIntent setup => notification with { Setup = new SetupNotice(setup.Id, setup.CustomerId, setup.PaymentMethodId, IdIn(setup.Metadata, "patient_id")) },
            _ => notification,
        };
    }

    private Event? Verify(string payload, string signatureHeader, string secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return null;
        }

        try
        {
            // Freshness is judged against the machine's clock, as Stripe signs by its own: not the clinic's business clock.
            return EventUtility.ConstructEvent(payload, signatureHeader, secret, settings.SignatureToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            return null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private static Guid? IdIn(Dictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var id) && Guid.TryParse(id, out var parsed) ? parsed : null;

    private static PaymentIntentInfo Info(PaymentIntent intent) => new(intent.Id, intent.ClientSecret, intent.Status, intent.Amount, intent.Currency);

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        if (string.IsNullOrWhiteSpace(settings.SecretKey))
        {
            throw new PaymentProviderUnavailableException("Card payments are not configured for this clinic.");
        }

        try
        {
            return await call();
        }
        catch (StripeException e) when (e.StripeError?.Type == "card_error")
        {
            throw new PaymentDeclinedException(e.StripeError.Code ?? "card_declined", e.StripeError.DeclineCode, e.StripeError.Message ?? e.Message,
                e.StripeError.PaymentIntent?.Id);
        }
        catch (StripeException e)
        {
            throw new PaymentProviderUnavailableException($"Stripe answered {(int)e.HttpStatusCode} ({e.StripeError?.Code ?? e.Message}).", e);
        }
        catch (HttpRequestException e)
        {
            throw new PaymentProviderUnavailableException("Stripe could not be reached.", e);
        }
        catch (TaskCanceledException e)
        {
            throw new PaymentProviderUnavailableException("Stripe did not answer in time.", e);
        }
    }
}
