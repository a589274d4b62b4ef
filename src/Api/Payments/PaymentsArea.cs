using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Integrations.Payments;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;
using Microsoft.Extensions.Options;
using Wolverine.ErrorHandling;

namespace EventSourcedClinic.Api.Payments;

/// <summary>Payments: card payments for held self-pay sessions through Stripe, applied from its signed notifications (ADR 0013).</summary>
public sealed class PaymentsArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<StripeSettings>(configuration, StripeSettings.Section);
        services.AddSingleton<IPaymentProvider>(sp => new StripePaymentProvider(sp.GetRequiredService<IOptions<StripeSettings>>().Value));
    }

    /// <summary>Stripe away: a refund is tried again, sooner then later, and never made twice (its idempotency key).</summary>
    public override void ConfigureMessaging(Wolverine.WolverineOptions options)
    {
        options.Policies.OnException<PaymentProviderUnavailableException>()
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2));

        // A lapsed hold's time taken between the check and the commit: handled again, it finds the time taken.
        options.Policies.OnException<Npgsql.PostgresException>(e => e.SqlState == Npgsql.PostgresErrorCodes.ExclusionViolation).RetryTimes(3);
    }

    public override void ConfigureStore(StoreOptions options)
    {
        options.Projections.Add(new StreamFold<Payment>(), ProjectionLifecycle.Inline);
        options.Schema.For<Payment>().Index(x => x.PatientId).Index(x => x.IntentId);
    }

    public override IEnumerable<PatientStreamKind> PatientStreams =>
    [
        PatientStreamKind.Found(RecordTypes.Payment, async (session, patientId, cancellation) =>
            await session.Query<Payment>().Where(p => p.PatientId == patientId).Select(p => p.Id).ToListAsync(cancellation)),
    ];
}
