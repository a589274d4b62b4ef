using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace EventSourcedClinic.FakeStripe;

// Saved cards: a Customer, a SetupIntent confirmed with a test payment method (on the payer's device, as Stripe.js
// would), which attaches a new PaymentMethod to the customer (setup_intent.succeeded); the card's brand and last four
// digits can be read back, and the method detached.
public static partial class FakeStripeServer
{
    private static void MapCustomers(WebApplication app, FakeState state)
    {
        app.MapPost("/v1/customers", (HttpContext http) => state.Idempotent(http, () => state.CreateCustomer(http.Request.Form)));
        app.MapPost("/v1/setup_intents", (HttpContext http) => state.Idempotent(http, () => state.CreateSetupIntent(http.Request.Form)));
        app.MapPost("/v1/setup_intents/{id}/confirm", (HttpContext http, string id) => state.Idempotent(http, () => state.ConfirmSetup(id, http.Request.Form)));
        app.MapGet("/v1/payment_methods/{id}", (HttpContext http, string id) => state.Authorised(http, () => state.ReadMethod(id)));
        app.MapPost("/v1/payment_methods/{id}/detach", (HttpContext http, string id) => state.Idempotent(http, () => state.Detach(id)));
    }

    private sealed partial class FakeState
    {
        private readonly ConcurrentDictionary<string, JsonObject> _customers = new();
        private readonly ConcurrentDictionary<string, JsonObject> _setups = new();
        private readonly ConcurrentDictionary<string, JsonObject> _methods = new();

        private static readonly Dictionary<string, (string Brand, string Last4)> TestCards = new()
        {
            ["pm_card_visa"] = ("visa", "4242"), ["pm_card_mastercard"] = ("mastercard", "4444"), ["pm_card_amex"] = ("amex", "8431"),
            ["pm_card_threeDSecure2Required"] = ("visa", "3184"), ["pm_card_authenticationRequired"] = ("visa", "3184"),
            ["pm_card_visa_chargeDeclinedInsufficientFunds"] = ("visa", "9995"),

            // 4000 0000 0000 0341: saved without trouble, declined when charged.
            ["pm_card_chargeCustomerFail"] = ("visa", "0341"),
        };

        /// <summary>A saved method behaves as the test method it was made from; a test method as itself.</summary>
        private string Behaviour(string method) =>
            _methods.TryGetValue(method, out var saved) ? saved["behaves_as"]!.GetValue<string>() : method;

        public Answer CreateCustomer(IFormCollection form)
        {
            var customer = new JsonObject
            {
                ["id"] = "cus_" + Random(14), ["object"] = "customer", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["metadata"] = Metadata(form, "metadata["), ["livemode"] = false,
            };
            _customers[customer["id"]!.GetValue<string>()] = customer;
            return new Answer(200, Copy(customer));
        }

        public Answer CreateSetupIntent(IFormCollection form)
        {
            var customer = form["customer"].ToString();
            if (customer.Length > 0 && !_customers.ContainsKey(customer))
            {
                return Error(400, "invalid_request_error", "resource_missing", $"No such customer: '{customer}'", param: "customer");
            }

            var id = "seti_" + Random(24);
            var setup = new JsonObject
            {
                ["id"] = id, ["object"] = "setup_intent", ["client_secret"] = $"{id}_secret_{Random(24)}", ["customer"] = customer,
                ["status"] = "requires_payment_method", ["usage"] = form["usage"].ToString() is { Length: > 0 } usage ? usage : "off_session",
                ["payment_method"] = null, ["metadata"] = Metadata(form, "metadata["), ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            };
            _setups[id] = setup;
            return new Answer(200, Copy(setup));
        }

        /// <summary>The payer's device confirms the setup with a card; a declining card is refused and nothing is saved.</summary>
        public Answer ConfirmSetup(string id, IFormCollection form)
        {
            if (!_setups.TryGetValue(id, out var setup))
            {
                return Error(404, "invalid_request_error", "resource_missing", $"No such setupintent: '{id}'", param: "intent");
            }

            var test = form["payment_method"].ToString();
            if (!TestCards.TryGetValue(test, out var card) || test.Contains("Declined", StringComparison.Ordinal))
            {
                var error = Error(402, "card_error", "card_declined", "Your card was declined.");
                error.Body["error"]!["decline_code"] = "generic_decline";
                return error;
            }

            lock (setup)
            {
                var method = new JsonObject
                {
                    ["id"] = "pm_" + Random(24), ["object"] = "payment_method", ["type"] = "card", ["customer"] = setup["customer"]!.GetValue<string>(),
                    ["card"] = new JsonObject { ["brand"] = card.Brand, ["last4"] = card.Last4, ["exp_month"] = 12, ["exp_year"] = DateTime.UtcNow.Year + 3 },
                    ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["behaves_as"] = test,
                };
                _methods[method["id"]!.GetValue<string>()] = method;
                setup["payment_method"] = method["id"]!.GetValue<string>();
                setup["status"] = "succeeded";
                Emit("setup_intent.succeeded", setup);
                return new Answer(200, Copy(setup));
            }
        }

        public Answer ReadMethod(string id) => _methods.TryGetValue(id, out var method)
            ? new Answer(200, PublicMethod(method))
            : Error(404, "invalid_request_error", "resource_missing", $"No such PaymentMethod: '{id}'", param: "payment_method");

        public Answer Detach(string id)
        {
            if (!_methods.TryGetValue(id, out var method))
            {
                return ReadMethod(id);
            }

            method["customer"] = null;
            return new Answer(200, PublicMethod(method));
        }

        private static JsonObject PublicMethod(JsonObject method)
        {
            var copy = Copy(method);
            copy.Remove("behaves_as");
            return copy;
        }

        private static JsonObject Metadata(IFormCollection form, string prefix)
        {
            var metadata = new JsonObject();
            foreach (var (name, value) in form.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && f.Key.EndsWith(']')))
            {
                metadata[name[prefix.Length..^1]] = value.ToString();
            }

            return metadata;
        }
    }
}
