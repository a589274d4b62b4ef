using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EventSourcedClinic.FakeStripe;

/// <summary>Where the fake listens and where it sends signed webhooks.</summary>
public sealed class FakeStripeOptions
{
    public string Urls { get; set; } = "http://127.0.0.1:12111";

    /// <summary>The secret both sides share to sign and verify webhooks (Stripe's "whsec_...").</summary>
    public string WebhookSecret { get; set; } = "whsec_fake_stripe_local";

    /// <summary>Where events are posted; none: they are only kept (GET /_fake/events).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>For a clinic hosted in the same process without a socket (tests): the transport to it.</summary>
    public HttpMessageHandler? WebhookHandler { get; set; }
}

/// <summary>
/// A fake of Stripe's PaymentIntents API, on loopback: form-encoded requests authenticated by a secret key, idempotency
/// keys, Stripe's JSON shapes and errors, and signed webhooks (<c>Stripe-Signature: t=...,v1=HMAC-SHA256</c>). Test
/// payment methods behave as Stripe's do: <c>pm_card_visa</c> succeeds, <c>pm_card_threeDSecure2Required</c> needs 3-D
/// Secure (completed at <c>/_fake/3ds/{id}</c>), <c>pm_card_visa_chargeDeclinedInsufficientFunds</c> is declined.
/// </summary>
public static partial class FakeStripeServer
{
    public static WebApplication Build(FakeStripeOptions options, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var state = new FakeState(options);

        app.MapPost("/v1/payment_intents", (HttpContext http) => state.Idempotent(http, () => state.CreateIntent(http.Request.Form)));
        app.MapGet("/v1/payment_intents/{id}", (HttpContext http, string id) => state.Authorised(http, () => state.Read(id)));
        app.MapPost("/v1/payment_intents/{id}/confirm", (HttpContext http, string id) => state.Idempotent(http, () => state.Confirm(id, http.Request.Form)));
        app.MapPost("/v1/checkout/sessions", (HttpContext http) => state.Idempotent(http, () => state.CreateCheckout(http.Request.Form, options.Urls)));
        app.MapGet("/checkout/{id}", (string id) => state.CheckoutPage(id));
        app.MapPost("/checkout/{id}", async (HttpContext http, string id) => state.PayOnCheckout(id, (await http.Request.ReadFormAsync())["card_number"].ToString()));
        app.MapPost("/v1/refunds", (HttpContext http) => state.Idempotent(http, () => state.Refund(http.Request.Form)));
        app.MapPost("/_fake/3ds/{id}", (string id, string? checkout) => state.CompleteAuthentication(id, checkout));
        app.MapGet("/_fake/events", () => Results.Json(state.Events.ToArray()));
        app.MapGet("/_fake/refunds", () => Results.Json(state.Refunds.ToArray()));
        MapConnect(app, state, options);
        MapMoney(app, state);
        MapCustomers(app, state);
        return app;
    }

    internal sealed record Answer(int Status, JsonObject Body);

    private sealed partial class FakeState(FakeStripeOptions options)
    {
        private readonly ConcurrentDictionary<string, JsonObject> _intents = new();
        private readonly ConcurrentDictionary<string, Lazy<Answer>> _idempotency = new();
        private readonly HttpClient _webhooks = options.WebhookHandler is { } handler ? new HttpClient(handler) : new HttpClient();
        private string _apiVersion = "unknown";

        public ConcurrentQueue<JsonObject> Events { get; } = new();

        public IResult Authorised(HttpContext http, Func<Answer> run)
        {
            var key = http.Request.Headers.Authorization.ToString();
            if (!key.StartsWith("Bearer sk_test_", StringComparison.Ordinal) && !key.StartsWith("Bearer pk_test_", StringComparison.Ordinal))
            {
                return Send(Error(401, "invalid_request_error", null, "Invalid API Key provided."));
            }

            if (http.Request.Headers.TryGetValue("Stripe-Version", out var version))
            {
                _apiVersion = version.ToString();
            }

            return Send(run());
        }

        /// <summary>The same idempotency key answers the same, however often it is sent (Stripe keeps them 24 hours).</summary>
        public IResult Idempotent(HttpContext http, Func<Answer> run) => Authorised(http, () =>
        {
            var key = http.Request.Headers["Idempotency-Key"].ToString();
            return key.Length == 0 ? run() : _idempotency.GetOrAdd($"{http.Request.Path}|{key}", _ => new Lazy<Answer>(run)).Value;
        });

        public Answer CreateIntent(IFormCollection form)
        {
            if (!long.TryParse(form["amount"], out var amount) || amount < 1)
            {
                return Error(400, "invalid_request_error", "parameter_missing", "Missing required param: amount.", param: "amount");
            }

            if (string.IsNullOrEmpty(form["currency"]))
            {
                return Error(400, "invalid_request_error", "parameter_missing", "Missing required param: currency.", param: "currency");
            }

            var id = "pi_" + Random(24);
            var metadata = Metadata(form, "metadata[");
            var intent = new JsonObject
            {
                ["id"] = id, ["object"] = "payment_intent", ["amount"] = amount, ["amount_received"] = 0L,
                ["currency"] = form["currency"].ToString(), ["status"] = "requires_payment_method",
                ["client_secret"] = $"{id}_secret_{Random(24)}", ["metadata"] = metadata, ["livemode"] = false,
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["capture_method"] = "automatic",
                ["confirmation_method"] = "automatic", ["payment_method"] = null, ["last_payment_error"] = null, ["next_action"] = null,
            };
            if (!string.IsNullOrEmpty(form["customer"]))
            {
                intent["customer"] = form["customer"].ToString();
            }

            if (!string.IsNullOrEmpty(form["transfer_group"]))
            {
                intent["transfer_group"] = form["transfer_group"].ToString();
            }

            _intents[id] = intent;
            if (form["confirm"] == "true" && !string.IsNullOrEmpty(form["payment_method"]))
            {
                // Created and confirmed in one call, as a saved card is used: the answer is the confirmation's.
                return Confirm(id, form);
            }

            return new Answer(200, intent);
        }

        public Answer Read(string id) => _intents.TryGetValue(id, out var intent)
            ? new Answer(200, Copy(intent))
            : Error(404, "invalid_request_error", "resource_missing", $"No such payment_intent: '{id}'", param: "intent");

        public Answer Confirm(string id, IFormCollection form)
        {
            if (!_intents.TryGetValue(id, out var intent))
            {
                return Read(id);
            }

            lock (intent)
            {
                if (intent["status"]!.GetValue<string>() == "succeeded")
                {
                    return Error(400, "invalid_request_error", "payment_intent_unexpected_state", "This PaymentIntent has already succeeded.");
                }

                var method = form["payment_method"].ToString();
                intent["payment_method"] = method;
                switch (Behaviour(method))
                {
                    case "pm_card_visa" or "pm_card_mastercard" or "pm_card_amex":
                        Succeed(intent);
                        return new Answer(200, Copy(intent));
                    case "pm_card_threeDSecure2Required" or "pm_card_authenticationRequired":
                        intent["status"] = "requires_action";
                        intent["next_action"] = new JsonObject { ["type"] = "use_stripe_sdk" };
                        return new Answer(200, Copy(intent));
                    default:
                        intent["status"] = "requires_payment_method";
                        var declined = new JsonObject
                        {
                            ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "insufficient_funds",
                            ["message"] = "Your card has insufficient funds.",
                        };
                        intent["last_payment_error"] = declined;
                        Emit("payment_intent.payment_failed", intent);
                        var error = Error(402, "card_error", "card_declined", "Your card has insufficient funds.");
                        error.Body["error"]!["decline_code"] = "insufficient_funds";
                        error.Body["error"]!["payment_intent"] = Copy(intent);
                        return error;
                }
            }
        }

        public Answer Refund(IFormCollection form)
        {
            var id = form["payment_intent"].ToString();
            if (!_intents.TryGetValue(id, out var intent))
            {
                return Error(400, "invalid_request_error", "resource_missing", $"No such payment_intent: '{id}'", param: "payment_intent");
            }

            lock (intent)
            {
                var received = intent["amount_received"]!.GetValue<long>();
                var refunded = intent["amount_refunded"]?.GetValue<long>() ?? 0;
                var amount = long.TryParse(form["amount"], out var asked) ? asked : received - refunded;
                if (intent["status"]!.GetValue<string>() != "succeeded" || amount < 1 || amount > received - refunded)
                {
                    return Error(400, "invalid_request_error", "amount_too_large", $"Refund amount ({amount}) is greater than what is left to refund.",
                        param: "amount");
                }

                intent["amount_refunded"] = refunded + amount;
                var refund = new JsonObject
                {
                    ["id"] = "re_" + Random(24), ["object"] = "refund", ["amount"] = amount, ["currency"] = intent["currency"]!.GetValue<string>(),
                    ["payment_intent"] = id, ["charge"] = intent["latest_charge"]?.GetValue<string>(), ["status"] = "succeeded",
                    ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["metadata"] = Metadata(form, "metadata["),
                };
                Refunds.Enqueue(refund);
                Emit("refund.created", refund);
                Refunded(intent, refund);
                return new Answer(200, refund);
            }
        }

        public ConcurrentQueue<JsonObject> Refunds { get; } = new();

        private readonly ConcurrentDictionary<string, JsonObject> _checkouts = new();

        /// <summary>
        /// Stripe Checkout: a hosted page for one payment. The payment intent is made when the payer pays (as Stripe
        /// does since API version 2022-08-01), carrying <c>payment_intent_data[metadata]</c>.
        /// </summary>
        public Answer CreateCheckout(IFormCollection form, string baseUrl)
        {
            if (form["mode"] != "payment" || !long.TryParse(form["line_items[0][price_data][unit_amount]"], out var amount) || amount < 1)
            {
                return Error(400, "invalid_request_error", "parameter_missing", "mode=payment and one line item with price_data[unit_amount] are required.");
            }

            var id = "cs_test_" + Random(24);
            var metadata = Metadata(form, "payment_intent_data[metadata][");

            var session = new JsonObject
            {
                ["id"] = id, ["object"] = "checkout.session", ["mode"] = "payment", ["status"] = "open", ["payment_status"] = "unpaid",
                ["amount_total"] = amount, ["currency"] = form["line_items[0][price_data][currency]"].ToString(),
                ["success_url"] = form["success_url"].ToString(), ["cancel_url"] = form["cancel_url"].ToString(),
                ["url"] = $"{baseUrl}/checkout/{id}", ["payment_intent"] = null, ["metadata"] = metadata.DeepClone(),
                ["payment_intent_metadata"] = metadata, ["description"] = form["line_items[0][price_data][product_data][name]"].ToString(),
            };
            _checkouts[id] = session;
            return new Answer(200, Public(session));
        }

        public IResult CheckoutPage(string id) => _checkouts.TryGetValue(id, out var session)
            ? Results.Content($"""
                <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Pay – fake Stripe Checkout</title></head>
                <body><main><h1>Pay {session["amount_total"]!.GetValue<long>() / 100m:0.00} {session["currency"]!.GetValue<string>().ToUpperInvariant()}</h1>
                <p>{System.Net.WebUtility.HtmlEncode(session["description"]!.GetValue<string>())}</p>
                <form method="post"><label for="card">Card number</label>
                <input id="card" name="card_number" autocomplete="cc-number" inputmode="numeric" value="4242 4242 4242 4242">
                <button type="submit">Pay</button></form>
                <p>Test cards: 4242 4242 4242 4242 succeeds; 4000 0027 6000 3184 asks for 3-D Secure; 4000 0000 0000 9995 is declined.</p>
                </main></body></html>
                """, "text/html; charset=utf-8")
            : Results.NotFound();

        /// <summary>The payer submits a test card on the hosted page: pays, is asked for 3-D Secure, or is declined.</summary>
        public IResult PayOnCheckout(string id, string cardNumber)
        {
            if (!_checkouts.TryGetValue(id, out var session))
            {
                return Results.NotFound();
            }

            lock (session)
            {
                if (session["payment_intent"] is null)
                {
                    var intent = CreateIntent(new FormCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
                    {
                        ["amount"] = session["amount_total"]!.ToString(), ["currency"] = session["currency"]!.GetValue<string>(),
                    })).Body;
                    intent["metadata"] = session["payment_intent_metadata"]!.DeepClone();
                    session["payment_intent"] = intent["id"]!.GetValue<string>();
                }

                var intentId = session["payment_intent"]!.GetValue<string>();
                var method = cardNumber.Replace(" ", "", StringComparison.Ordinal) switch
                {
                    "4242424242424242" => "pm_card_visa",
                    "4000002760003184" => "pm_card_threeDSecure2Required",
                    _ => "pm_card_visa_chargeDeclinedInsufficientFunds",
                };
                var answer = Confirm(intentId, new FormCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["payment_method"] = method }));
                var status = _intents[intentId]["status"]!.GetValue<string>();
                if (status == "requires_action")
                {
                    return Results.Content($"""
                        <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>3-D Secure</title></head>
                        <body><main><h1>Confirm it is you</h1><form method="post" action="/_fake/3ds/{intentId}?checkout={id}">
                        <button type="submit">Complete authentication</button></form></main></body></html>
                        """, "text/html; charset=utf-8");
                }

                if (status == "succeeded")
                {
                    CompleteCheckout(session);
                    return Results.Redirect(session["success_url"]!.GetValue<string>());
                }

                return Results.Content(
                    $"""<!DOCTYPE html><html lang="en-GB"><body><main><h1>Your card was declined</h1><p>{answer.Body["error"]?["message"]}</p></main></body></html>""",
                    "text/html; charset=utf-8", statusCode: 402);
            }
        }

        private void CompleteCheckout(JsonObject session)
        {
            session["status"] = "complete";
            session["payment_status"] = "paid";
            Emit("checkout.session.completed", Public(session));
        }

        private static JsonObject Public(JsonObject session)
        {
            var copy = Copy(session);
            copy.Remove("payment_intent_metadata");
            copy.Remove("description");
            return copy;
        }

        public IResult CompleteAuthentication(string id, string? checkout)
        {
            if (!_intents.TryGetValue(id, out var intent) || intent["status"]!.GetValue<string>() != "requires_action")
            {
                return Results.NotFound();
            }

            lock (intent)
            {
                Succeed(intent);
            }

            if (checkout is not null && _checkouts.TryGetValue(checkout, out var session))
            {
                CompleteCheckout(session);
                return Results.Redirect(session["success_url"]!.GetValue<string>());
            }

            return Results.Json(Copy(intent));
        }

        private void Succeed(JsonObject intent)
        {
            intent["status"] = "succeeded";
            intent["amount_received"] = intent["amount"]!.GetValue<long>();
            intent["next_action"] = null;
            intent["latest_charge"] = Charge(intent);
            Emit("payment_intent.succeeded", intent);
        }

        /// <summary>Builds the event, keeps it, and posts it signed to the webhook endpoint (in the background, as Stripe does).</summary>
        private void Emit(string type, JsonObject intent, string? account = null)
        {
            var e = new JsonObject
            {
                ["id"] = "evt_" + Random(24), ["object"] = "event", ["api_version"] = _apiVersion,
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["type"] = type, ["livemode"] = false, ["pending_webhooks"] = 1,
                ["data"] = new JsonObject { ["object"] = Copy(intent) },
                ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            };
            if (account is not null)
            {
                e["account"] = account;
            }

            Events.Enqueue(e);
            if (options.WebhookUrl is { } url)
            {
                _ = DeliverAsync(url, e.ToJsonString());
            }
        }

        private async Task DeliverAsync(string url, string payload)
        {
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                    request.Headers.Add("Stripe-Signature", Sign(payload, options.WebhookSecret, DateTimeOffset.UtcNow));
                    using var response = await _webhooks.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(200 * attempt);
            }
        }

        private static Answer Error(int status, string type, string? code, string message, string? param = null)
        {
            var error = new JsonObject { ["type"] = type, ["message"] = message };
            if (code is not null)
            {
                error["code"] = code;
            }

            if (param is not null)
            {
                error["param"] = param;
            }

            return new Answer(status, new JsonObject { ["error"] = error });
        }

        private static IResult Send(Answer answer) => Results.Text(answer.Body.ToJsonString(), "application/json", Encoding.UTF8, answer.Status);

        private static JsonObject Copy(JsonObject o) => JsonNode.Parse(o.ToJsonString())!.AsObject();

        private static string Random(int length) =>
            new(RandomNumberGenerator.GetItems("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".AsSpan(), length));
    }

    /// <summary>Stripe's webhook signature: <c>t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{payload}")}</c>.</summary>
    public static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
