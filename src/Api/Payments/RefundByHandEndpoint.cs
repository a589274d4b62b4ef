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

        try
        {
            var refund = await provider.RefundAsync(payment.IntentId, command.AmountPence, $"refund-{paymentId}-v{current}", cancellation);
            return (await session.ChangeAsync<Payment>(paymentId, "payment", command.ExpectedVersion,
                p => IssueRefund.Decide(p, refund.RefundId, (int)refund.Amount, $"by the clinic: {command.Reason.Trim()}", time.GetUtcNow(), refund.CreatedAt),
                cancellation)).Ok();
        }
        catch (PaymentProviderUnavailableException e)
        {
            return PayForAppointmentEndpoint.Unavailable(http, e);
        }
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
