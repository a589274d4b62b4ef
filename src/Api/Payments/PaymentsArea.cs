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
        services.AddValidatedOptions<BillingSettings>(configuration, BillingSettings.Section);
        services.AddSingleton(sp => new StripePaymentProvider(sp.GetRequiredService<IOptions<StripeSettings>>().Value));
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<StripePaymentProvider>());
        services.AddSingleton<IPayoutProvider>(sp => sp.GetRequiredService<StripePaymentProvider>());
    }

    /// <summary>Stripe away: 503 with Retry-After (Stripe redelivers a notification); a declined card: 402 with Stripe's codes.</summary>
    public override ProblemDetails? Classify(Exception exception) => exception switch
    {
        PaymentProviderUnavailableException away => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Type = Problems.TypeBase + "payments-unavailable",
            Title = "Payments are unavailable for a moment", Detail = $"{away.Message} Nothing has changed; try again shortly.",
        },
        PaymentDeclinedException declined => Declined(declined),
        _ => null,
    };

    public static ProblemDetails Declined(PaymentDeclinedException declined) => new()
    {
        Status = StatusCodes.Status402PaymentRequired, Type = Problems.TypeBase + "card-declined", Title = "The card was declined",
        Detail = $"{declined.Message} Try another card, or ask your bank.",
        Extensions = { ["code"] = declined.Code, ["declineCode"] = declined.DeclineCode },
    };

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
        options.Projections.Add(new StreamFold<PayoutAccount>(), ProjectionLifecycle.Inline);
        options.Projections.Add(new StreamFold<SavedCards>(), ProjectionLifecycle.Live);
        options.Projections.Add(new StreamFold<Projections.Payments.PaymentLedger>(), ProjectionLifecycle.Inline);
        options.Schema.For<Payment>().Index(x => x.PatientId).Index(x => x.IntentId).Index(x => x.TherapistId);
        options.Schema.For<PayoutAccount>().Index(x => x.AccountId, index => index.IsUnique = true).Index(x => x.TherapistId);
        options.Schema.For<Projections.Payments.PaymentLedger>()
            .Index(x => x.FirstAt).Index(x => x.LastAt).Index(x => x.ProcessorFirstAt).Index(x => x.ProcessorLastAt);
    }

    public override IEnumerable<PatientStreamKind> PatientStreams =>
    [
        PatientStreamKind.Found(RecordTypes.Payment, async (session, patientId, cancellation) =>
            await session.Query<Payment>().Where(p => p.PatientId == patientId).Select(p => p.Id).ToListAsync(cancellation)),
        PatientStreamKind.Named(RecordTypes.SavedCards, SavedCards.StreamId),
    ];
}
