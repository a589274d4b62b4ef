using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Integrations.Payments;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Payments;

/// <summary>
/// A patient starts paying for their held, self-pay session: the clinic creates the card payment for the fee on the
/// hold (never an amount from the client), keyed by the appointment and its version so a retry never charges twice,
/// and answers with what the payer's device needs to confirm it with Stripe (ADR 0013). Asking again answers the
/// same payment. Stripe away: 503 with Retry-After, and declined: 402 (the area's classifier).
/// </summary>
public static class PayForAppointmentEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/payment"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<PaymentSession>(StatusCodes.Status201Created)]
    [ProducesResponseType<PaymentSession>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        Guid appointmentId, HttpContext http, ClaimsPrincipal user, IDocumentSession session, IPaymentProvider provider, IOptions<StripeSettings> stripe,
        TimeProvider time, CancellationToken cancellation)
    {
        var patientId = Actor.From(user).UserId!.Value;
        var now = time.GetUtcNow();
        var (appointment, existing, problem) = await PayableAppointment.LoadAsync(session, appointmentId, patientId, PaymentRoute.Intent, cancellation);
        if (problem is not null)
        {
            return Results.Problem(problem);
        }

        if (existing is not null)
        {
            return Results.Ok(PaymentSession.From(existing, await provider.GetIntentAsync(existing.IntentId, cancellation), stripe.Value));
        }

        if (RequestPayment.Check(appointment, patientId, now) is { } refused)
        {
            return Results.Problem(Problems.From(refused));
        }

        var version = (await session.Events.FetchStreamStateAsync(appointmentId, cancellation))?.Version ?? 0;
        var intent = await provider.CreateIntentAsync(appointmentId, appointment.FeePence, $"appointment-{appointmentId}-v{version}", cancellation);
        var written = session.Start<Payment>(Payment.StreamId(appointmentId), RequestPayment.Decide(appointment, patientId, intent.IntentId, intent.Currency, now));
        return written.Created($"/api/appointments/{appointmentId}/payment",
            written.Refused is null ? PaymentSession.From(Fold<Payment>.All(written.Events)!, intent, stripe.Value) : null);
    }
}

/// <summary>
/// What the payer's device needs to pay: the payment, its amount, and the client secret and publishable key with which
/// Stripe's own page or SDK confirms it (card details go to Stripe, never to the clinic).
/// </summary>
public sealed record PaymentSession(
    Guid PaymentId, Guid AppointmentId, int AmountPence, string Currency, PaymentStatus Status, string IntentId, string IntentStatus,
    string ClientSecret, string PublishableKey)
{
    public static PaymentSession From(Payment payment, PaymentIntentInfo intent, StripeSettings stripe) => new(
        payment.Id, payment.AppointmentId, payment.AmountPence, payment.Currency, payment.Status, intent.IntentId, intent.Status, intent.ClientSecret,
        stripe.PublishableKey);
}
