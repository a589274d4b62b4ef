using System.Runtime.CompilerServices;
using Stripe;

namespace EventSourcedClinic.Integrations.Payments;

// Saved cards (Customers, SetupIntents, PaymentMethods) and Stripe Connect (Express accounts, account and login links,
// transfers), and the balance the ledger is reconciled against: the same Stripe.net client, the same error mapping.
public sealed partial class StripePaymentProvider
{
    public async Task<string> CreateCustomerAsync(Guid patientId, string idempotencyKey, CancellationToken cancellation) =>
        (await Call(() => new CustomerService(_client.Value).CreateAsync(
            new CustomerCreateOptions { Metadata = new Dictionary<string, string> { ["patient_id"] = patientId.ToString() } },
            new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation))).Id;

    public async Task<CardSetupInfo> CreateCardSetupAsync(string customerId, Guid patientId, string idempotencyKey, CancellationToken cancellation)
    {
        var setup = await Call(() => new SetupIntentService(_client.Value).CreateAsync(
            new SetupIntentCreateOptions
            {
                Customer = customerId, Usage = "on_session",
                Metadata = new Dictionary<string, string> { ["patient_id"] = patientId.ToString() },
            },
            new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation));
        return new CardSetupInfo(setup.Id, setup.ClientSecret);
    }

    public async Task<SavedCardInfo> GetCardAsync(string paymentMethodId, CancellationToken cancellation)
    {
        var method = await Call(() => new PaymentMethodService(_client.Value).GetAsync(paymentMethodId, null, null, cancellation));
        return new SavedCardInfo(method.Id, method.CustomerId, method.Card?.Brand ?? "card", method.Card?.Last4 ?? "????",
            (int)(method.Card?.ExpMonth ?? 0), (int)(method.Card?.ExpYear ?? 0));
    }

    public Task DetachCardAsync(string paymentMethodId, CancellationToken cancellation) =>
        Call(() => new PaymentMethodService(_client.Value).DetachAsync(paymentMethodId, null, new RequestOptions { IdempotencyKey = $"detach-{paymentMethodId}" }, cancellation));

    public async Task<PayoutAccountInfo> CreateAccountAsync(Guid therapistId, string idempotencyKey, CancellationToken cancellation) =>
        Account(await Call(() => new AccountService(_client.Value).CreateAsync(
            new AccountCreateOptions
            {
                Type = "express", Country = settings.ConnectCountry, BusinessType = "individual",
                Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
                Metadata = new Dictionary<string, string> { ["therapist_id"] = therapistId.ToString() },
            },
            new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation)));

    public async Task<PayoutAccountInfo> GetAccountAsync(string accountId, CancellationToken cancellation) =>
        Account(await Call(() => new AccountService(_client.Value).GetAsync(accountId, null, null, cancellation)));

    public async Task<string> CreateOnboardingLinkAsync(string accountId, string returnUrl, string refreshUrl, CancellationToken cancellation) =>
        (await Call(() => new AccountLinkService(_client.Value).CreateAsync(
            new AccountLinkCreateOptions { Account = accountId, Type = "account_onboarding", ReturnUrl = returnUrl, RefreshUrl = refreshUrl },
            null, cancellation))).Url;

    public async Task<string> CreateDashboardLinkAsync(string accountId, CancellationToken cancellation) =>
        (await Call(() => new AccountLoginLinkService(_client.Value).CreateAsync(accountId, null, null, cancellation))).Url;

    public async Task<TransferInfo> TransferAsync(
        string accountId, int amountPence, string sourceChargeId, Guid appointmentId, string idempotencyKey, CancellationToken cancellation)
    {
        var transfer = await Call(() => new TransferService(_client.Value).CreateAsync(
            new TransferCreateOptions
            {
                Amount = amountPence, Currency = settings.Currency, Destination = accountId, SourceTransaction = sourceChargeId,
                TransferGroup = $"appointment-{appointmentId}",
                Metadata = new Dictionary<string, string> { ["appointment_id"] = appointmentId.ToString() },
            },
            new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation));
        return new TransferInfo(transfer.Id, transfer.Amount, new DateTimeOffset(transfer.Created, TimeSpan.Zero));
    }

    public async IAsyncEnumerable<BalanceEntry> ListBalanceAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var options = new BalanceTransactionListOptions
        {
            Limit = 100,
            Created = new DateRangeOptions { GreaterThanOrEqual = from.UtcDateTime, LessThan = to.UtcDateTime },
        };
        string? after = null;
        while (true)
        {
            options.StartingAfter = after;
            var page = await Call(() => new BalanceTransactionService(_client.Value).ListAsync(options, null, cancellation));
            foreach (var entry in page.Data)
            {
                yield return new BalanceEntry(entry.Id, entry.Type, entry.Amount, entry.Fee, entry.SourceId, new DateTimeOffset(entry.Created, TimeSpan.Zero));
            }

            if (!page.HasMore || page.Data.Count == 0)
            {
                yield break;
            }

            after = page.Data[^1].Id;
        }
    }

    private static PayoutAccountInfo Account(Stripe.Account account) =>
        new(account.Id, account.DetailsSubmitted, account.ChargesEnabled, account.PayoutsEnabled);
}
