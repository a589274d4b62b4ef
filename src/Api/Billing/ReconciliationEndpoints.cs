namespace EventSourcedClinic.Api.Billing;

/// <summary>The desk reconciles a day by hand, or reads the night's report (ADR 0014).</summary>
public static class ReconciliationEndpoints
{
    [WolverinePost("/api/billing/reconciliations/{date}"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<ReconciliationReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        string date, BillingReconciliation reconciliation, IDocumentSession session, CancellationToken cancellation)
    {
        // Stripe's days are by the machine's clock, not the clinic's business clock.
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day) || day > DateOnly.FromDateTime(DateTime.UtcNow) || day.Year < 2000)
        {
            return Results.Problem(Problems.BadQuery("The date is yyyy-MM-dd, from 2000 to today."));
        }

        var report = await reconciliation.RunAsync(day, cancellation);
        session.Store(report);
        await session.SaveChangesAsync(cancellation);
        return Results.Ok(report);
    }

    [WolverineGet("/api/billing/reconciliations/{date}"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<ReconciliationReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(string date, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<ReconciliationReport>(date, cancellation) is { } report
            ? Results.Ok(report)
            : Results.Problem(Problems.NotFound("reconciliation for that date"));
}
