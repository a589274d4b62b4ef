using System.Globalization;
using EventSourcedClinic.Projections.Payments;

namespace EventSourcedClinic.Api.Billing;

/// <summary>
/// The clinic's billing ledger for a period (ADR 0014): what was charged, refunded, disputed and transferred to
/// therapists, and the commission earned, by day or month (UK dates), by therapist or by patient, with totals. Built from
/// the payment events (the <see cref="PaymentLedger"/> read model).
/// </summary>
public static class LedgerEndpoint
{
    private static readonly string[] Groupings = ["day", "month", "therapist", "patient"];

    [WolverineGet("/api/billing/ledger"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<LedgerView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(DateOnly? from, DateOnly? to, string? by, IQuerySession session, TimeProvider time, CancellationToken cancellation)
    {
        var today = UkTime.Today(time.GetUtcNow());
        var start = from ?? new DateOnly(today.Year, today.Month, 1);
        if (start.Year is < 2000 or > 2100 || to?.Year is < 2000 or > 2100)
        {
            return Results.Problem(Problems.BadQuery("The period lies between the years 2000 and 2100."));
        }

        var end = to ?? start.AddMonths(1);
        var grouping = (by ?? "day").ToLowerInvariant();
        if (end <= start || end.DayNumber - start.DayNumber > 400 || !Groupings.Contains(grouping))
        {
            return Results.Problem(Problems.BadQuery("'to' is after 'from' (at most 400 days), and 'by' is day, month, therapist or patient."));
        }

        var rows = await RowsAsync(session, start, end, cancellation);
        var groups = rows.GroupBy(r => grouping switch
        {
            "month" => r.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            "therapist" => r.TherapistId.ToString(),
            "patient" => r.PatientId.ToString(),
            _ => r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => LedgerLine.Of(g.Key, g)).ToArray();
        return Results.Ok(new LedgerView(start, end, grouping, groups, LedgerLine.Of("total", rows)));
    }

    /// <summary>Each movement (and each commission earned) in the period, with the UK date it falls on.</summary>
    internal static async Task<List<LedgerRow>> RowsAsync(IQuerySession session, DateOnly start, DateOnly end, CancellationToken cancellation)
    {
        var (from, to) = (UkTime.StartOf(start), UkTime.StartOf(end));
        var ledgers = await session.Query<PaymentLedger>()
            .Where(l => (l.LastAt >= from && l.FirstAt < to) || (l.Earned != null && l.Earned.EarnedAt >= from && l.Earned.EarnedAt < to))
            .ToListAsync(cancellation);
        var rows = ledgers.SelectMany(l => l.Entries.Where(e => e.At >= from && e.At < to)
            .Select(e => new LedgerRow(UkTime.Today(e.At), l.TherapistId, l.PatientId, e.Kind, e.AmountPence, 0))).ToList();
        rows.AddRange(ledgers.Where(l => l.Earned is { } earned && earned.EarnedAt >= from && earned.EarnedAt < to)
            .Select(l => new LedgerRow(UkTime.Today(l.Earned!.EarnedAt), l.TherapistId, l.PatientId, null, 0, l.Earned.CommissionPence)));
        return rows;
    }
}

internal sealed record LedgerRow(DateOnly Date, Guid TherapistId, Guid PatientId, LedgerKind? Kind, int AmountPence, int CommissionPence);

public sealed record LedgerView(DateOnly From, DateOnly To, string By, LedgerLine[] Lines, LedgerLine Total);

/// <param name="NetPence">What the clinic's balance at Stripe changed by: charged, less refunded, disputed and transferred.</param>
public sealed record LedgerLine(string Key, int ChargedPence, int RefundedPence, int DisputedPence, int TransferredPence, int CommissionPence, int NetPence)
{
    internal static LedgerLine Of(string key, IEnumerable<LedgerRow> rows)
    {
        var list = rows as IReadOnlyCollection<LedgerRow> ?? rows.ToList();
        int Sum(LedgerKind kind) => Math.Abs(list.Where(r => r.Kind == kind).Sum(r => r.AmountPence));
        return new LedgerLine(key, Sum(LedgerKind.Charge), Sum(LedgerKind.Refund), Sum(LedgerKind.Dispute), Sum(LedgerKind.Transfer),
            list.Sum(r => r.CommissionPence), list.Sum(r => r.AmountPence));
    }
}
