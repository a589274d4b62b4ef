using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Integrations.Payments;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Payments.Payouts;

/// <summary>Move the therapist's share of one paid session to their Stripe account, if it is due and they can take it.</summary>
public sealed record PayTherapist(Guid PaymentId);

/// <summary>
/// A paid session is over (ADR 0014): what is left of its payment is earned, the clinic's commission kept and the
/// therapist's share transferred to their connected account (not before the session, and not while disputed).
/// </summary>
public static class EarningsHandler
{
    public static async Task<OutgoingMessages> Handle(
        SessionEnded ended, IDocumentSession session, IMessageContext context, TimeProvider time, IOptions<BillingSettings> billing, CancellationToken cancellation) =>
        await EarnAsync(session, context, ended.AppointmentId, ended.Start, time, billing.Value, cancellation);

    /// <summary>The session's fee kept (held, not attended, or cancelled late): earned now; a payment not yet made earns nothing.</summary>
    public static async Task<OutgoingMessages> EarnAsync(
        IDocumentSession session, IMessageContext context, Guid appointmentId, DateTimeOffset sessionStart, TimeProvider time, BillingSettings billing,
        CancellationToken cancellation)
    {
        AuditStamp.ApplyClinic(session, context, "session-fee-earned");
        var earned = await session.AppendAsync<Payment>(Payment.StreamId(appointmentId), payment => payment is null
            ? Decision.Accept()
            : EarnSessionFee.Decide(payment, sessionStart, billing.CommissionPercent, time.GetUtcNow()), cancellation);
        return earned.Events.OfType<SessionFeeEarned>().Any() ? [new PayTherapist(earned.StreamId)] : [];
    }

    /// <summary>
    /// Transfers once, keyed by the payment: retried while Stripe is away, never paid twice. A therapist who has not
    /// finished onboarding is paid when Stripe says they have (account.updated).
    /// </summary>
    public static async Task Handle(
        PayTherapist message, IDocumentSession session, IPayoutProvider payouts, IMessageContext context, TimeProvider time, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Payment>(message.PaymentId, cancellation) is not { } payment || TransferEarnings.Due(payment) is not { } amount
            || await session.LoadAsync<PayoutAccount>(PayoutAccount.StreamId(payment.TherapistId), cancellation) is not { Ready: true } account)
        {
            return;
        }

        AuditStamp.ApplyClinic(session, context, "therapist-transfer");
        var transfer = await payouts.TransferAsync(account.AccountId, amount, payment.ChargeId!, payment.AppointmentId, $"transfer-{payment.Id}", cancellation);
        await session.AppendAsync<Payment>(payment.Id, current => current is null
            ? Decision.Accept()
            : TransferEarnings.Decide(current, account.AccountId, transfer.TransferId, (int)transfer.Amount, time.GetUtcNow(), transfer.CreatedAt),
            cancellation);
    }

    /// <summary>Every session of the therapist's that is earned and not yet transferred: for when their account can take money.</summary>
    public static async Task<PayTherapist[]> OwedAsync(IQuerySession session, Guid therapistId, CancellationToken cancellation) =>
        (await session.Query<Payment>().Where(p => p.TherapistId == therapistId && p.Earned != null && p.Transfer == null).Select(p => p.Id)
            .ToListAsync(cancellation)).Select(id => new PayTherapist(id)).ToArray();
}
