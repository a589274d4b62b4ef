using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Integrations.Payments;

namespace EventSourcedClinic.Api.Payments;

/// <summary>
/// The clinic's desk refunds part or all of a payment by hand, with the reason on the record (ADR 0013). The refund is
/// keyed by the payment's version the admin read, so a retried request never refunds twice, and a refund by someone
/// else meanwhile is a 409.
/// </summary>
public static class RefundByHandEndpoint
{
    public static ProblemDetails Validate(RefundRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/payment/refunds"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        RefundRequest command, Guid appointmentId, HttpContext http, IDocumentSession session, IPaymentProvider provider, TimeProvider time,
        CancellationToken cancellation)
    {
        var paymentId = Payment.StreamId(appointmentId);
        var current = (await session.Events.FetchStreamStateAsync(paymentId, cancellation))?.Version ?? 0;
        var payment = await session.LoadAsync<Payment>(paymentId, cancellation);
        if (payment is null)
        {
            return Results.Problem(Problems.NotFound("payment"));
        }

        if (command.ExpectedVersion != current)
        {
            return Results.Problem(Problems.StaleVersion("payment", current, command.ExpectedVersion));
        }

        if (IssueRefund.Check(payment, command.AmountPence) is { } refused)
        {
            return Results.Problem(Problems.From(refused));
        }

        // Once Stripe has refunded, the refund is recorded whatever else reached the payment meanwhile (a dispute, an
        // earning): refusing it on the version would leave a refund Stripe made and the clinic never recorded, and a retry
        // at the new version would make a second one. Stripe away: 503 with Retry-After (the area's classifier).
        var refund = await provider.RefundAsync(payment.IntentId, command.AmountPence, $"refund-{paymentId}-v{current}", cancellation);
        return (await session.AppendAsync<Payment>(paymentId, p => p is null
            ? Decision.Accept()
            : IssueRefund.Decide(p, refund.RefundId, (int)refund.Amount, $"by the clinic: {command.Reason.Trim()}", time.GetUtcNow(), refund.CreatedAt),
            cancellation)).Ok();
    }

    public sealed class Validator : AbstractValidator<RefundRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            RuleFor(x => x.AmountPence).GreaterThan(0);
            RuleFor(x => x.Reason).NotEmpty().MaximumLength(1_000);
        }
    }
}

/// <summary>A refund by hand: the amount in pence, why, and the payment's version the admin read.</summary>
public sealed record RefundRequest(long ExpectedVersion, int AmountPence, string Reason);
