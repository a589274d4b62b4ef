namespace EventSourcedClinic.Api.Billing;

/// <summary>
/// Billing: what the money came to (ADR 0014). The ledger by day, month, therapist or patient; its reconciliation with
/// Stripe, nightly and by hand; and monthly statements of NHS-funded sessions for each commissioning organisation.
/// Payments moves the money; this area reports on it.
/// </summary>
public sealed class BillingArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<BillingReconciliation>();
        services.AddHostedService<NightlyStarter>();
    }

    public override void ConfigureStore(StoreOptions options)
    {
        options.Schema.For<ReconciliationReport>().Identity(x => x.Id);
        options.Schema.For<ReconciliationSchedule>().Identity(x => x.Id);
    }
}
