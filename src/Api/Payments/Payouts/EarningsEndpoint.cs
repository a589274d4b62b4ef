using EventSourcedClinic.Domain.Payments;

namespace EventSourcedClinic.Api.Payments.Payouts;

/// <summary>
/// A therapist's earnings (ADR 0014): each paid session of theirs, what it earned once it took place, the clinic's
/// commission, and the transfer to their Stripe account; with totals for the period. No patient is named.
/// </summary>
public static class EarningsEndpoint
{
    [WolverineGet("/api/therapists/{therapistId}/earnings"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<EarningsView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        Guid therapistId, DateOnly? from, DateOnly? to, ClaimsPrincipal user, IQuerySession session, TimeProvider time, CancellationToken cancellation)
    {
        if (!Actor.From(user).MayActForTherapist(therapistId))
        {
            return Results.Problem(Problems.NotFound("therapist"));
        }

        var today = UkTime.Today(time.GetUtcNow());
        var start = from ?? new DateOnly(today.Year, today.Month, 1);
        if (start.Year is < 2000 or > 2100 || to?.Year is < 2000 or > 2100)
        {
            return Results.Problem(Problems.BadQuery("The period lies between the years 2000 and 2100."));
        }

        var end = to ?? start.AddMonths(1);
        if (end <= start || end.DayNumber - start.DayNumber > 366)
        {
            return Results.Problem(Problems.BadQuery("'to' is after 'from', at most a year later."));
        }

        var account = await session.LoadAsync<PayoutAccount>(PayoutAccount.StreamId(therapistId), cancellation);
        var payments = await session.Query<Payment>().Where(p => p.TherapistId == therapistId && p.Status == PaymentStatus.Succeeded)
            .ToListAsync(cancellation);
        var (from0, to0) = (UkTime.StartOf(start), UkTime.StartOf(end));
        var sessions = payments
            .Where(p => p.Earned is null ? p.KeptPence > 0 : p.Earned.SessionStart >= from0 && p.Earned.SessionStart < to0)
            .Select(SessionEarning.From)
            .OrderBy(s => s.SessionStart ?? DateTimeOffset.MaxValue)
            .ToArray();
        var earned = sessions.Where(s => s.SessionStart is not null).ToArray();
        return Results.Ok(new EarningsView(
            therapistId, start, end, account is null ? "not-set-up" : account.Ready ? "ready" : "onboarding-unfinished",
            earned.Sum(s => s.SharePence ?? 0), earned.Sum(s => s.CommissionPence ?? 0), earned.Sum(s => s.TransferredPence ?? 0),
            earned.Where(s => s.TransferId is null).Sum(s => s.SharePence ?? 0), sessions));
    }
}

/// <param name="PayoutAccount">not-set-up, onboarding-unfinished or ready: whether transfers can reach the therapist.</param>
/// <param name="OwedPence">Earned and not yet transferred (waiting for the payout account, or a dispute).</param>
public sealed record EarningsView(
    Guid TherapistId, DateOnly From, DateOnly To, string PayoutAccount, int EarnedPence, int CommissionPence, int TransferredPence, int OwedPence,
    SessionEarning[] Sessions);

/// <param name="Status">upcoming (paid, not yet held), earned (waiting to be transferred), transferred, or disputed.</param>
public sealed record SessionEarning(
    Guid AppointmentId, DateTimeOffset? SessionStart, string Status, int PaidPence, int RefundedPence, int? CommissionPence, int? SharePence,
    string? TransferId, int? TransferredPence, DateTimeOffset? TransferredAt)
{
    public static SessionEarning From(Payment p) => new(
        p.AppointmentId, p.Earned?.SessionStart,
        p.Transfer is not null ? "transferred" : p.Disputes.Length > 0 ? "disputed" : p.Earned is not null ? "earned" : "upcoming",
        p.AmountPence, p.RefundedPence, p.Earned?.CommissionPence, p.Earned?.TherapistSharePence, p.Transfer?.TransferId, p.Transfer?.AmountPence,
        p.Transfer?.TransferredAt);
}
