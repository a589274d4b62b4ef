using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace EventSourcedClinic.FakeStripe;

// Where the money is: a charge for each successful payment, its refunds (charge.refunded), disputes raised by a
// cardholder's bank (charge.dispute.created, started here by POST /_fake/disputes), and the platform's balance
// transactions (charge, refund, transfer, adjustment) that the clinic reconciles its ledger against.
public static partial class FakeStripeServer
{
    private static void MapMoney(WebApplication app, FakeState state)
    {
        app.MapGet("/v1/balance_transactions", (HttpContext http) => state.Authorised(http, () => state.ListBalance(http.Request.Query)));
        app.MapGet("/v1/charges/{id}", (HttpContext http, string id) => state.Authorised(http, () => state.ReadCharge(id)));
        app.MapPost("/_fake/disputes", (string paymentIntent, string? reason) => state.OpenDispute(paymentIntent, reason ?? "fraudulent"));
        app.MapGet("/_fake/balance_transactions", () => Results.Json(state.Balance.ToArray()));
    }

    private sealed partial class FakeState
    {
        private readonly ConcurrentDictionary<string, JsonObject> _charges = new();

        public ConcurrentQueue<JsonObject> Balance { get; } = new();

        /// <summary>The charge behind a successful payment, and its balance transaction net of Stripe's UK fee (1.5% + 20p).</summary>
        private string Charge(JsonObject intent)
        {
            var amount = intent["amount"]!.GetValue<long>();
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var charge = new JsonObject
            {
                ["id"] = "ch_" + Random(24), ["object"] = "charge", ["amount"] = amount, ["amount_refunded"] = 0L, ["captured"] = true,
                ["currency"] = intent["currency"]!.GetValue<string>(), ["payment_intent"] = intent["id"]!.GetValue<string>(), ["paid"] = true,
                ["refunded"] = false, ["status"] = "succeeded", ["created"] = now, ["metadata"] = intent["metadata"]!.DeepClone(),
                ["refunds"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(), ["has_more"] = false },
            };
            var id = charge["id"]!.GetValue<string>();
            charge["balance_transaction"] = AddBalance("charge", amount, (amount * 15 / 1000) + 20, id, charge["currency"]!.GetValue<string>(), now);
            _charges[id] = charge;
            return id;
        }

        public Answer ReadCharge(string id) => _charges.TryGetValue(id, out var charge)
            ? new Answer(200, Copy(charge))
            : Error(404, "invalid_request_error", "resource_missing", $"No such charge: '{id}'", param: "id");

        private void Refunded(JsonObject intent, JsonObject refund)
        {
            var amount = refund["amount"]!.GetValue<long>();
            refund["balance_transaction"] = AddBalance("refund", -amount, 0, refund["id"]!.GetValue<string>(), refund["currency"]!.GetValue<string>(),
                refund["created"]!.GetValue<long>());
            if (intent["latest_charge"]?.GetValue<string>() is { } chargeId && _charges.TryGetValue(chargeId, out var charge))
            {
                lock (charge)
                {
                    charge["amount_refunded"] = charge["amount_refunded"]!.GetValue<long>() + amount;
                    charge["refunded"] = charge["amount_refunded"]!.GetValue<long>() == charge["amount"]!.GetValue<long>();
                    charge["refunds"]!["data"]!.AsArray().Insert(0, Copy(refund));
                    Emit("charge.refunded", charge);
                }
            }
        }

        /// <summary>The cardholder's bank disputes a payment: the amount is taken from the balance at once, as Stripe does.</summary>
        public IResult OpenDispute(string paymentIntent, string reason)
        {
            if (!_intents.TryGetValue(paymentIntent, out var intent) || intent["latest_charge"]?.GetValue<string>() is not { } chargeId)
            {
                return Results.NotFound();
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var amount = intent["amount_received"]!.GetValue<long>() - (intent["amount_refunded"]?.GetValue<long>() ?? 0);
            var dispute = new JsonObject
            {
                ["id"] = "dp_" + Random(24), ["object"] = "dispute", ["amount"] = amount, ["charge"] = chargeId, ["payment_intent"] = paymentIntent,
                ["currency"] = intent["currency"]!.GetValue<string>(), ["reason"] = reason, ["status"] = "needs_response", ["created"] = now,
                ["metadata"] = new JsonObject(),
            };
            // Stripe expands a dispute's balance transactions (objects, not ids).
            var withdrawal = AddBalance("adjustment", -amount, 2000, dispute["id"]!.GetValue<string>(), dispute["currency"]!.GetValue<string>(), now);
            dispute["balance_transactions"] = new JsonArray(Copy(Balance.Single(t => t["id"]!.GetValue<string>() == withdrawal)));
            Emit("charge.dispute.created", dispute);
            return Results.Json(dispute);
        }

        private string AddBalance(string type, long amount, long fee, string source, string currency, long created)
        {
            var id = "txn_" + Random(24);
            Balance.Enqueue(new JsonObject
            {
                ["id"] = id, ["object"] = "balance_transaction", ["type"] = type, ["amount"] = amount, ["fee"] = fee, ["net"] = amount - fee,
                ["currency"] = currency, ["source"] = source, ["created"] = created, ["available_on"] = created + (7 * 86_400), ["status"] = "pending",
                ["reporting_category"] = type switch { "adjustment" => "dispute", _ => type },
            });
            return id;
        }

        /// <summary>GET /v1/balance_transactions: newest first, filtered by created[gte|gt|lt|lte] and type, paged by starting_after.</summary>
        public Answer ListBalance(IQueryCollection query)
        {
            IEnumerable<JsonObject> rows = Balance.Reverse();
            foreach (var (op, keep) in new (string, Func<long, long, bool>)[]
                     { ("gte", (c, v) => c >= v), ("gt", (c, v) => c > v), ("lt", (c, v) => c < v), ("lte", (c, v) => c <= v) })
            {
                if (long.TryParse(query[$"created[{op}]"], out var bound))
                {
                    rows = rows.Where(r => keep(r["created"]!.GetValue<long>(), bound));
                }
            }

            if (query["type"].ToString() is { Length: > 0 } type)
            {
                rows = rows.Where(r => r["type"]!.GetValue<string>() == type);
            }

            var list = rows.ToList();
            if (query["starting_after"].ToString() is { Length: > 0 } after)
            {
                list = list.SkipWhile(r => r["id"]!.GetValue<string>() != after).Skip(1).ToList();
            }

            var limit = int.TryParse(query["limit"], out var asked) ? Math.Clamp(asked, 1, 100) : 10;
            return new Answer(200, new JsonObject
            {
                ["object"] = "list", ["url"] = "/v1/balance_transactions", ["has_more"] = list.Count > limit,
                ["data"] = new JsonArray(list.Take(limit).Select(r => (JsonNode)Copy(r)).ToArray()),
            });
        }
    }
}
