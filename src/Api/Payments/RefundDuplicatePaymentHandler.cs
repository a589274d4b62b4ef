using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Integrations.Payments;
using Wolverine;

namespace EventSourcedClinic.Api.Payments;

/// <summary>A second payment for a session already paid, to give back whole.</summary>
public sealed record RefundDuplicatePayment(Guid PaymentId, string IntentId);

/// <summary>
/// The payer paid twice (two hosted pages opened for one hold, both paid): the second payment is refunded in full,
/// once (its own idempotency key), and recorded against it, leaving the session's own payment as it was.
/// </summary>
public static class RefundDuplicatePaymentHandler
{
    public static async Task Handle(
        RefundDuplicatePayment message, IDocumentSession session, IPaymentProvider provider, IMessageContext context, TimeProvider time,
        CancellationToken cancellation)
    {
        if (await session.LoadAsync<Payment>(message.PaymentId, cancellation) is not { } payment
            || payment.Duplicates.FirstOrDefault(d => d.IntentId == message.IntentId) is not { } duplicate)
        {
            return;
        }

        AuditStamp.ApplyClinic(session, context, "refund-duplicate-payment");
        var refund = await provider.RefundAsync(duplicate.IntentId, duplicate.AmountPence, $"refund-{payment.Id}-duplicate-{duplicate.IntentId}", cancellation);
        await session.AppendAsync<Payment>(payment.Id, current => current is null
            ? Decision.Accept()
            : IssueRefund.Decide(current, refund.RefundId, (int)refund.Amount, "paid twice for one session", time.GetUtcNow(), refund.CreatedAt, duplicate.IntentId),
            cancellation);
    }
}
