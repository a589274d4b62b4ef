using EventSourcedClinic.Integrations.Payments;
using EventSourcedClinic.Projections.Payments;

namespace EventSourcedClinic.Api.Billing;

/// <summary>
/// Compares one day of the ledger with Stripe's balance transactions for that day (UTC, by Stripe's clock), matched by
/// source (the charge, refund, transfer or dispute each came from), and lists every difference (ADR 0014): a movement
/// Stripe has that the ledger lacks, one the ledger has that Stripe lacks, or an amount that differs. Stripe's own
/// movements that are not the clinic's records (payouts to the clinic's bank, Stripe's fees) are counted, not compared.
/// </summary>
public sealed class BillingReconciliation(IDocumentStore store, IPayoutProvider stripe, TimeProvider time)
{
    private static readonly HashSet<string> LedgerTypes = ["charge", "payment", "refund", "payment_refund", "transfer", "adjustment"];

    // Movements near midnight may be recorded on either side of it by the two clocks: each side is looked for a day around.
    private static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    public async Task<ReconciliationReport> RunAsync(DateOnly date, CancellationToken cancellation)
    {
        var from = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        var stripeEntries = new List<BalanceEntry>();
        await foreach (var entry in stripe.ListBalanceAsync(from - Margin, to + Margin, cancellation))
        {
            stripeEntries.Add(entry);
        }

        await using var session = store.QuerySession();
        var (windowStart, windowEnd) = (from - Margin, to + Margin);
        var ledgers = await session.Query<PaymentLedger>()
            .Where(l => l.ProcessorLastAt >= windowStart && l.ProcessorFirstAt < windowEnd)
            .ToListAsync(cancellation);
        var ledger = ledgers.SelectMany(l => l.Entries.Select(e => (Ledger: l, Entry: e))).ToList();
        var ledgerBySource = ledger.GroupBy(x => x.Entry.Source).ToDictionary(g => g.Key, g => g.First());
        var stripeBySource = stripeEntries.Where(e => e.SourceId is not null && LedgerTypes.Contains(e.Type))
            .GroupBy(e => e.SourceId!).ToDictionary(g => g.Key, g => g.First());

        bool OnTheDay(DateTimeOffset at) => at >= from && at < to;
        var differences = new List<ReconciliationDifference>();
        foreach (var (ledgerOf, entry) in ledger.Where(x => OnTheDay(x.Entry.ProcessorAt)))
        {
            if (!stripeBySource.TryGetValue(entry.Source, out var atStripe))
            {
                differences.Add(new ReconciliationDifference("missing-at-stripe", entry.Source, entry.Kind.ToString().ToLowerInvariant(), entry.AmountPence, null, ledgerOf.Id));
            }
            else if (atStripe.Amount != entry.AmountPence)
            {
                differences.Add(new ReconciliationDifference("amount-differs", entry.Source, atStripe.Type, entry.AmountPence, atStripe.Amount, ledgerOf.Id));
            }
        }

        var dayAtStripe = stripeEntries.Where(e => OnTheDay(e.CreatedAt)).ToList();
        foreach (var entry in dayAtStripe.Where(e => e.SourceId is not null && LedgerTypes.Contains(e.Type) && !ledgerBySource.ContainsKey(e.SourceId)))
        {
            differences.Add(new ReconciliationDifference("missing-in-ledger", entry.SourceId!, entry.Type, null, entry.Amount, null));
        }

        var dayInLedger = ledger.Where(x => OnTheDay(x.Entry.ProcessorAt)).ToList();
        var compared = dayAtStripe.Where(e => LedgerTypes.Contains(e.Type)).ToList();
        return new ReconciliationReport(
            date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), date, time.GetUtcNow(), dayInLedger.Count, compared.Count,
            dayInLedger.Sum(x => (long)x.Entry.AmountPence), compared.Sum(e => e.Amount), compared.Sum(e => e.Fee), dayAtStripe.Count - compared.Count,
            [.. differences.OrderBy(d => d.Source, StringComparer.Ordinal)]);
    }
}

/// <summary>One day's reconciliation, kept by date (the nightly job's, or the latest run by hand).</summary>
/// <param name="OtherStripeEntries">Stripe movements that are not the clinic's records (payouts to its bank, Stripe's own fees).</param>
public sealed record ReconciliationReport(
    string Id, DateOnly Date, DateTimeOffset RanAt, int LedgerEntries, int StripeEntries, long LedgerNetPence, long StripeNetPence, long StripeFeesPence,
    int OtherStripeEntries, ReconciliationDifference[] Differences)
{
    public bool Balanced => Differences.Length == 0;
}

/// <param name="Kind">missing-at-stripe, missing-in-ledger or amount-differs.</param>
public sealed record ReconciliationDifference(string Kind, string Source, string Type, long? LedgerPence, long? StripePence, Guid? PaymentId);
