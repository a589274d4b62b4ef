using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Integrations.Payments;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Payments;

/// <summary>
/// When a paid session is cancelled, the refund the cancellation policy decided (ADR 0013) is made through Stripe once
/// the cancellation is committed: full when the therapist or the clinic cancels or the patient cancels in time, none
/// when late (the cancellation records which). One cancellation, one idempotency key: retried while Stripe is away,
/// it never refunds twice.
/// </summary>
public static class RefundOnCancellationHandler
{
    public static async Task<OutgoingMessages> Handle(
        SessionCancelled cancelled, IDocumentSession session, IPaymentProvider provider, TimeProvider time, IMessageContext context,
        IOptions<BillingSettings> billing, CancellationToken cancellation)
    {
        if (cancelled.FeeOutcome == FeeOutcome.FeeForfeited)
        {
            // Cancelled late: the fee is kept, and earned as if the session had been held.
            var appointment = await session.Events.AggregateStreamAsync<Appointment>(cancelled.AppointmentId, token: cancellation);
            return appointment is null ? [] : await Payouts.EarningsHandler.EarnAsync(session, context, appointment.Id, appointment.Start, time, billing.Value, cancellation);
        }

        if (cancelled.RefundPence <= 0
            || await session.LoadAsync<Payment>(Payment.StreamId(cancelled.AppointmentId), cancellation) is not { Status: PaymentStatus.Succeeded } payment
            || Math.Min(cancelled.RefundPence, payment.RefundablePence) is not (> 0 and var due))
        {
            return [];
        }

        // Never more than is left: part may have been refunded by hand already.
        AuditStamp.ApplyClinic(session, context, "refund-on-cancellation");
        var refund = await provider.RefundAsync(payment.IntentId, due, $"refund-{payment.Id}-cancellation", cancellation);
        await session.AppendAsync<Payment>(payment.Id, current => current is null
            ? Decision.Accept()
            : IssueRefund.Decide(current, refund.RefundId, (int)refund.Amount, $"cancelled by the {cancelled.CancelledBy.ToString().ToLowerInvariant()}: {cancelled.FeeOutcome}", time.GetUtcNow(),
                refund.CreatedAt),
            cancellation);
        var amount = (refund.Amount / 100m).ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        return
        [
            new Notifications.Notification(payment.PatientId, "refund-issued", "Your refund is on its way",
                $"We have refunded {amount} to the card you paid with. It can take up to 10 working days to appear."),
        ];
    }
}
