using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Integrations.Payments;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Payments;

/// <summary>Payments: card payments for held self-pay sessions through Stripe, applied from its signed notifications (ADR 0013).</summary>
public sealed class PaymentsArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<StripeSettings>(configuration, StripeSettings.Section);
        services.AddSingleton<IPaymentProvider>(sp => new StripePaymentProvider(sp.GetRequiredService<IOptions<StripeSettings>>().Value));
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
