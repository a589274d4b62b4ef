using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Integrations.Payments;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Payments;

/// <summary>
/// Stripe tells the clinic what happened to a payment (ADR 0013). The signature over the raw body is checked with the
/// endpoint secret and a five-minute tolerance; anything forged, altered or stale is a 400 and changes nothing. Each
/// Stripe event is applied once, by its id, whatever the order or number of deliveries: a success settles the payment
/// and confirms the held session (scheduling its reminders) in one transaction; a failure is recorded and the hold
/// stands until it lapses.
/// </summary>
public static class StripeWebhookEndpoint
{
    private static readonly HashSet<string> Applied = ["payment_intent.succeeded", "payment_intent.payment_failed"];

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

        if (!Applied.Contains(notification.Type) || notification.AppointmentId is not { } appointmentId)
        {
            return Results.NoContent();
        }

        AuditStamp.Apply(session, new Actor("stripe", "system", null, null), notification.EventId, $"webhook {notification.Type}#{notification.EventId}");
        var now = time.GetUtcNow();
        var succeeded = notification.Type == "payment_intent.succeeded";
        var settled = await session.AppendAsync<Payment>(Payment.StreamId(appointmentId), payment => payment is null
            ? Rejection.NotFound("payment-not-recorded", "The clinic has not recorded this payment yet; deliver it again.")
            : SettlePayment.Decide(payment, notification.EventId, notification.IntentId, succeeded, notification.AmountReceived, notification.FailureCode, now), cancellation);
        if (settled.Refused is { } refused)
        {
            // Stripe delivers again later: a notification that overtook the clinic's own answer finds its payment then.
            return Results.Problem(refused);
        }

        if (settled.Events.OfType<PaymentSucceeded>().FirstOrDefault() is { } paid)
        {
            var confirmed = await session.AppendAsync<Appointment>(appointmentId, appointment => appointment is { Status: AppointmentStatus.Held }
                ? ConfirmAppointment.Decide(appointment, new ConfirmAppointment(0, paid.IntentId), now)
                : Decision.Accept(), cancellation);
            await BookingContext.ScheduleFollowUpsAsync(bus, confirmed, now, booking.Value);
            if (confirmed.Before is { Status: AppointmentStatus.HoldExpired } || confirmed.Refused?.Type?.EndsWith("hold-expired", StringComparison.Ordinal) == true)
            {
                // Paid after the hold lapsed: take the time again if it is free, else give the money back (after this commits).
                await bus.PublishAsync(new SettleLapsedPayment(appointmentId, paid.PaymentId));
            }
        }

        return Results.NoContent();
    }
}
