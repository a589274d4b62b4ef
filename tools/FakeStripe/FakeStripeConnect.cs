using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace EventSourcedClinic.FakeStripe;

// Stripe Connect as the clinic uses it: Express accounts for therapists, onboarding by account link (a page here that
// stands for Stripe's hosted onboarding), account.updated when onboarding is done, login links to the Express
// dashboard, and transfers of a session's earnings to a connected account.
public static partial class FakeStripeServer
{
    private static void MapConnect(WebApplication app, FakeState state, FakeStripeOptions options)
    {
        app.MapPost("/v1/accounts", (HttpContext http) => state.Idempotent(http, () => state.CreateAccount(http.Request.Form)));
        app.MapGet("/v1/accounts/{id}", (HttpContext http, string id) => state.Authorised(http, () => state.ReadAccount(id)));
        app.MapPost("/v1/account_links", (HttpContext http) => state.Idempotent(http, () => state.CreateAccountLink(http.Request.Form, options.Urls)));
        app.MapPost("/v1/accounts/{id}/login_links", (HttpContext http, string id) => state.Authorised(http, () => state.CreateLoginLink(id, options.Urls)));
        app.MapGet("/connect/onboard/{id}", (string id) => state.OnboardingPage(id));
        app.MapPost("/connect/onboard/{id}", (string id) => state.CompleteOnboarding(id));
        app.MapPost("/v1/transfers", (HttpContext http) => state.Idempotent(http, () => state.CreateTransfer(http.Request.Form)));
    }

    private sealed partial class FakeState
    {
        private readonly ConcurrentDictionary<string, JsonObject> _accounts = new();
        private readonly ConcurrentDictionary<string, JsonObject> _accountLinks = new();

        public Answer CreateAccount(IFormCollection form)
        {
            if (form["type"] != "express" && form["controller[stripe_dashboard][type]"] != "express")
            {
                return Error(400, "invalid_request_error", "parameter_invalid_empty", "This fake makes Express accounts only: type=express.", param: "type");
            }

            var id = "acct_" + Random(16);
            var account = new JsonObject
            {
                ["id"] = id, ["object"] = "account", ["type"] = "express", ["country"] = form["country"].ToString() is { Length: > 0 } c ? c : "GB",
                ["email"] = form["email"].ToString(), ["charges_enabled"] = false, ["payouts_enabled"] = false, ["details_submitted"] = false,
                ["metadata"] = Metadata(form, "metadata["), ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["capabilities"] = new JsonObject { ["transfers"] = "inactive" },
            };
            _accounts[id] = account;
            return new Answer(200, Copy(account));
        }

        public Answer ReadAccount(string id) => _accounts.TryGetValue(id, out var account)
            ? new Answer(200, Copy(account))
            : Error(404, "invalid_request_error", "resource_missing", $"No such account: '{id}'", param: "account");

        public Answer CreateAccountLink(IFormCollection form, string baseUrl)
        {
            var id = form["account"].ToString();
            if (!_accounts.ContainsKey(id))
            {
                return ReadAccount(id);
            }

            if (form["type"] != "account_onboarding" || string.IsNullOrEmpty(form["return_url"]) || string.IsNullOrEmpty(form["refresh_url"]))
            {
                return Error(400, "invalid_request_error", "parameter_missing", "type=account_onboarding, return_url and refresh_url are required.");
            }

            _accountLinks[id] = new JsonObject { ["return_url"] = form["return_url"].ToString(), ["refresh_url"] = form["refresh_url"].ToString() };
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return new Answer(200, new JsonObject
            {
                ["object"] = "account_link", ["created"] = now, ["expires_at"] = now + 300, ["url"] = $"{baseUrl}/connect/onboard/{id}",
            });
        }

        public Answer CreateLoginLink(string id, string baseUrl) => _accounts.TryGetValue(id, out var account)
            ? account["details_submitted"]!.GetValue<bool>()
                ? new Answer(200, new JsonObject
                {
                    ["object"] = "login_link", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["url"] = $"{baseUrl}/express/{id}",
                })
                : Error(400, "invalid_request_error", "account_invalid", "Cannot create a login link for an account that has not completed onboarding.")
            : ReadAccount(id);

        public IResult OnboardingPage(string id) => _accounts.ContainsKey(id)
            ? Results.Content($"""
                <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Get paid – fake Stripe Express onboarding</title></head>
                <body><main><h1>Set up payouts</h1><p>Stripe would ask here for identity and bank details.</p>
                <form method="post" action="/connect/onboard/{id}"><button type="submit">Agree and submit</button></form></main></body></html>
                """, "text/html; charset=utf-8")
            : Results.NotFound();

        /// <summary>The therapist finishes onboarding: the account can take transfers, and Stripe says so by account.updated.</summary>
        public IResult CompleteOnboarding(string id)
        {
            if (!_accounts.TryGetValue(id, out var account))
            {
                return Results.NotFound();
            }

            lock (account)
            {
                account["details_submitted"] = true;
                account["charges_enabled"] = true;
                account["payouts_enabled"] = true;
                account["capabilities"] = new JsonObject { ["transfers"] = "active" };
                Emit("account.updated", account, account: id);
            }

            return _accountLinks.TryGetValue(id, out var link) ? Results.Redirect(link["return_url"]!.GetValue<string>()) : Results.Ok();
        }

        /// <summary>Separate charges and transfers: money from a charge moves to a connected account that can take it.</summary>
        public Answer CreateTransfer(IFormCollection form)
        {
            var destination = form["destination"].ToString();
            if (!_accounts.TryGetValue(destination, out var account))
            {
                return Error(400, "invalid_request_error", "resource_missing", $"No such destination: '{destination}'", param: "destination");
            }

            if (account["capabilities"]?["transfers"]?.GetValue<string>() != "active")
            {
                return Error(400, "invalid_request_error", "insufficient_capabilities_for_transfer",
                    "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments.");
            }

            if (!long.TryParse(form["amount"], out var amount) || amount < 1)
            {
                return Error(400, "invalid_request_error", "parameter_missing", "Missing required param: amount.", param: "amount");
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var transfer = new JsonObject
            {
                ["id"] = "tr_" + Random(24), ["object"] = "transfer", ["amount"] = amount, ["currency"] = form["currency"].ToString(),
                ["destination"] = destination, ["transfer_group"] = form["transfer_group"].ToString(),
                ["source_transaction"] = form["source_transaction"].ToString() is { Length: > 0 } source ? source : null,
                ["metadata"] = Metadata(form, "metadata["), ["created"] = now, ["reversed"] = false,
            };
            transfer["balance_transaction"] = AddBalance("transfer", -amount, 0, transfer["id"]!.GetValue<string>(), form["currency"].ToString(), now);
            Emit("transfer.created", transfer);
            return new Answer(200, transfer);
        }
    }
}
