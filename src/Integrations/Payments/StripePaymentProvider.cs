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
}

/// <summary>Stripe through its own SDK (Stripe.net): real keys reach Stripe, the fake's ApiBase reaches the fake, with no code change.</summary>
public sealed class StripePaymentProvider(StripeSettings settings) : IPaymentProvider
{
    // Made on first use: a clinic without card payments configured starts, and answers 503 when asked to take one.
    private readonly Lazy<StripeClient> _client = new(() => new StripeClient(new StripeClientOptions
    {
        ApiKey = settings.SecretKey,
        ApiBase = string.IsNullOrWhiteSpace(settings.ApiBase) ? null : settings.ApiBase,
    }));

    private PaymentIntentService Intents => new(_client.Value);

    private RefundService Refunds => new(_client.Value);

    public async Task<PaymentIntentInfo> CreateIntentAsync(Guid appointmentId, int amountPence, string idempotencyKey, CancellationToken cancellation)
    {
        var options = new PaymentIntentCreateOptions
        {
            Amount = amountPence,
            Currency = settings.Currency,
            Metadata = new Dictionary<string, string> { ["appointment_id"] = appointmentId.ToString() },
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
        };
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
        var refund = await Call(() => Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = intentId, Amount = amountPence },
            new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation));
        return new RefundInfo(refund.Id, refund.Amount, refund.Status);
    }

    public async Task<PaymentIntentInfo> GetIntentAsync(string intentId, CancellationToken cancellation) =>
        Info(await Call(() => Intents.GetAsync(intentId, null, null, cancellation)));

    public PaymentNotification? ReadNotification(string payload, string signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(settings.WebhookSecret))
        {
            return null;
        }

        Event e;
        try
        {
            // Freshness is judged against the machine's clock, as Stripe signs by its own: not the clinic's business clock.
            e = EventUtility.ConstructEvent(payload, signatureHeader, settings.WebhookSecret, settings.SignatureToleranceSeconds,
                throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            return null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }

        if (e.Data?.Object is not PaymentIntent intent)
        {
            return new PaymentNotification(e.Id, e.Type, "", null, 0, null);
        }

        var appointmentId = intent.Metadata is { } metadata && metadata.TryGetValue("appointment_id", out var id) && Guid.TryParse(id, out var parsed)
            ? parsed
            : (Guid?)null;
        return new PaymentNotification(e.Id, e.Type, intent.Id, appointmentId, intent.AmountReceived, intent.LastPaymentError?.Code);
    }

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
