using EventSourcedClinic.Api.Payments.Payouts;
using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Integrations.Payments;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Payments;

/// <summary>
/// Stripe tells the clinic what happened (ADR 0013, 0014). The signature over the raw body is checked with the endpoint
/// secret and a five-minute tolerance; anything forged, altered or stale is a 400 and changes nothing. Each Stripe event
/// is applied once, by its id, whatever the order or number of deliveries:
/// <list type="bullet">
/// <item>a payment's success settles it and confirms the held session (scheduling its reminders) in one transaction; a
/// second success for a paid session is refunded; a failure is recorded and the hold stands until it lapses;</item>
/// <item>refunds made in Stripe's dashboard, and disputes, are recorded on the payment;</item>
/// <item>a therapist's account that can now take money is recorded, and what they are owed is transferred;</item>
/// <item>a card a patient saved is recorded (brand and last four digits only).</item>
/// </list>
/// An answer other than 2xx makes Stripe deliver again later.
/// </summary>
public static class StripeWebhookEndpoint
{
    [WolverinePost("/webhooks/stripe"), AllowAnonymous]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> Post(
        HttpRequest request, IDocumentSession session, IPaymentProvider provider, IMessageContext bus, TimeProvider time,
        IOptions<BookingSettings> booking, CancellationToken cancellation)
    {
        using var reader = new StreamReader(request.Body);
        var payload = await reader.ReadToEndAsync(cancellation);
        if (provider.ReadNotification(payload, request.Headers["Stripe-Signature"].ToString()) is not { } notification)
        {
            return Results.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest, Type = Problems.TypeBase + "invalid-signature", Title = "The notification's signature does not verify",
                Detail = "Stripe-Signature must be Stripe's, over this exact body, made within the tolerance.",
            });
        }

        AuditStamp.Apply(session, new Actor("stripe", "system", null, null), notification.EventId, $"webhook {notification.Type}#{notification.EventId}");
        var now = time.GetUtcNow();
        var refused = notification switch
        {
            { Type: "payment_intent.succeeded" or "payment_intent.payment_failed", Intent: { AppointmentId: { } appointmentId } intent } =>
                await ApplyIntentAsync(session, bus, notification, intent, appointmentId, now, booking.Value, cancellation),
            { Type: "charge.refunded", Refunds.Length: > 0 } => await ApplyRefundsAsync(session, notification.Refunds, now, cancellation),
            { Type: "charge.dispute.created", Dispute: { } dispute } => await ApplyDisputeAsync(session, notification, dispute, now, cancellation),
            { Type: "account.updated", Account: { } account } => await ApplyAccountAsync(session, bus, notification, account, now, cancellation),
            { Type: "setup_intent.succeeded", Setup: { PatientId: { } patientId, PaymentMethodId: { } method } setup } =>
                await ApplySavedCardAsync(session, provider, patientId, setup.CustomerId, method, now, cancellation),
            _ => null,
        };
        return refused is null ? Results.NoContent() : Results.Problem(refused);
    }

    private static async Task<ProblemDetails?> ApplyIntentAsync(
        IDocumentSession session, IMessageContext bus, PaymentNotification notification, IntentNotice intent, Guid appointmentId, DateTimeOffset now,
        BookingSettings booking, CancellationToken cancellation)
    {
        var succeeded = notification.Type == "payment_intent.succeeded";
        // A success the clinic has not recorded yet overtook its own answer: Stripe delivers it again. A failure of a
        // payment never recorded (a saved card declined at once) has nothing to change.
        var settled = await session.AppendAsync<Payment>(Payment.StreamId(appointmentId), payment => payment is null
            ? succeeded ? Rejection.NotFound("payment-not-recorded", "The clinic has not recorded this payment yet; deliver it again.") : Decision.Accept()
            : SettlePayment.Decide(payment, notification.EventId, intent.IntentId, succeeded, intent.AmountReceived, intent.FailureCode, now, intent.ChargeId,
                notification.CreatedAt), cancellation);
        if (settled.Refused is { } refused)
        {
            // Stripe delivers again later: a notification that overtook the clinic's own answer finds its payment then.
            return refused;
        }

        foreach (var duplicate in settled.Events.OfType<DuplicatePaymentReceived>())
        {
            await bus.PublishAsync(new RefundDuplicatePayment(duplicate.PaymentId, duplicate.IntentId));
        }

        if (settled.Events.OfType<PaymentSucceeded>().FirstOrDefault() is { } paid)
        {
            var confirmed = await session.AppendAsync<Appointment>(appointmentId, appointment => appointment is { Status: AppointmentStatus.Held }
                ? ConfirmAppointment.Decide(appointment, new ConfirmAppointment(0, paid.IntentId), now)
                : Decision.Accept(), cancellation);
            await BookingContext.ScheduleFollowUpsAsync(bus, confirmed, now, booking);
            if (confirmed.Before is { Status: AppointmentStatus.HoldExpired or AppointmentStatus.Cancelled }
                || confirmed.Refused?.Type?.EndsWith("hold-expired", StringComparison.Ordinal) == true)
            {
                // Paid after the hold lapsed: take the time again if it is free, else give the money back; paid for a
                // session since cancelled: give it back (after this commits).
                await bus.PublishAsync(new SettleLapsedPayment(appointmentId, paid.PaymentId));
            }
        }

        return null;
    }

    /// <summary>Refunds made in Stripe's dashboard (the clinic records its own as it makes them): each recorded once, by its id.</summary>
    private static async Task<ProblemDetails?> ApplyRefundsAsync(IDocumentSession session, RefundNotice[] refunds, DateTimeOffset now, CancellationToken cancellation)
    {
        foreach (var refund in refunds)
        {
            if (await PaymentOfIntentAsync(session, refund.IntentId, cancellation) is not { } payment || payment.Refunds.Contains(refund.RefundId))
            {
                continue;
            }

            var written = await session.AppendAsync<Payment>(payment.Id, current => current is null
                ? Decision.Accept()
                : IssueRefund.Decide(current, refund.RefundId, (int)refund.Amount, "refunded at Stripe", now, refund.CreatedAt, refund.IntentId), cancellation);
            if (written.Refused is { } refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static async Task<ProblemDetails?> ApplyDisputeAsync(
        IDocumentSession session, PaymentNotification notification, DisputeNotice dispute, DateTimeOffset now, CancellationToken cancellation)
    {
        if (await PaymentOfIntentAsync(session, dispute.IntentId, cancellation) is not { } payment)
        {
            return null;
        }

        return (await session.AppendAsync<Payment>(payment.Id, current => current is null
            ? Decision.Accept()
            : RecordDispute.Decide(current, dispute.DisputeId, (int)dispute.Amount, dispute.Reason, notification.EventId, now, dispute.CreatedAt), cancellation)).Refused;
    }

    /// <summary>A therapist's account that can now take money: what they are owed is transferred (after this commits).</summary>
    private static async Task<ProblemDetails?> ApplyAccountAsync(
        IDocumentSession session, IMessageContext bus, PaymentNotification notification, AccountNotice account, DateTimeOffset now, CancellationToken cancellation)
    {
        if (await session.Query<PayoutAccount>().FirstOrDefaultAsync(a => a.AccountId == account.AccountId, cancellation) is not { } known)
        {
            return null;
        }

        var updated = await session.AppendAsync<PayoutAccount>(known.Id, current => current is null
            ? Decision.Accept()
            : UpdatePayoutAccount.Decide(current, notification.EventId, account.DetailsSubmitted, account.ChargesEnabled, account.PayoutsEnabled, now), cancellation);
        if (updated.Refused is null && updated.Events.Count > 0 && Fold<PayoutAccount>.All(updated.Events, updated.Before) is { Ready: true })
        {
            foreach (var owed in await EarningsHandler.OwedAsync(session, known.TherapistId, cancellation))
            {
                await bus.PublishAsync(owed);
            }
        }

        return updated.Refused;
    }

    private static async Task<ProblemDetails?> ApplySavedCardAsync(
        IDocumentSession session, IPaymentProvider provider, Guid patientId, string? customerId, string paymentMethodId, DateTimeOffset now,
        CancellationToken cancellation)
    {
        var card = await provider.GetCardAsync(paymentMethodId, cancellation);
        return (await session.AppendAsync<SavedCards>(SavedCards.StreamId(patientId), cards => cards is null
            ? Decision.Accept()
            : SaveCard.Decide(cards, customerId, new SavedCard(card.PaymentMethodId, card.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear, now)),
            cancellation)).Refused;
    }

    private static Task<Payment?> PaymentOfIntentAsync(IQuerySession session, string intentId, CancellationToken cancellation) =>
        session.Query<Payment>().FirstOrDefaultAsync(p => p.IntentId == intentId || p.Duplicates.Any(d => d.IntentId == intentId), cancellation);
}
