using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Integrations.Payments;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Payments.Cards;

/// <summary>
/// A patient pays for their held session with a card they saved: the intent is created and confirmed at once, for the
/// fee on the hold, keyed by the appointment's version and the card, so a retry never charges twice. Declined: a 402
/// with Stripe's decline code, and the hold stands. A card that asks for 3-D Secure answers requires_action with the
/// client secret, for the device to finish. Stripe's notification confirms the session, as for any payment.
/// </summary>
public static class PayWithSavedCardEndpoint
{
    public static ProblemDetails Validate(SavedCardPaymentRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/payment/saved-card"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<PaymentSession>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(
        SavedCardPaymentRequest command, Guid appointmentId, HttpContext http, ClaimsPrincipal user, IDocumentSession session, IPaymentProvider provider,
        IOptions<StripeSettings> stripe, TimeProvider time, CancellationToken cancellation)
    {
        var patientId = Actor.From(user).UserId!.Value;
        var now = time.GetUtcNow();
        var (appointment, existing, problem) = await PayableAppointment.LoadAsync(session, appointmentId, patientId, PaymentRoute.Intent, cancellation);
        if ((problem ?? (existing is not null ? Problems.Conflict("payment-started", "Payment for this session has already been started; finish it there.") : null)
             ?? (RequestPayment.Check(appointment, patientId, now) is { } refused ? Problems.From(refused) : null)) is { } stop)
        {
            return Results.Problem(stop);
        }

        var cards = await session.Events.AggregateStreamAsync<SavedCards>(SavedCards.StreamId(patientId), token: cancellation);
        if (cards?.Cards.FirstOrDefault(c => c.PaymentMethodId == command.CardId) is not { } card)
        {
            return Results.Problem(Problems.NotFound("saved card"));
        }

        var version = (await session.Events.FetchStreamStateAsync(appointmentId, cancellation))?.Version ?? 0;
        var intent = await provider.CreateIntentAsync(appointmentId, appointment.FeePence, $"appointment-{appointmentId}-v{version}-{card.PaymentMethodId}",
            cancellation, new SavedCardInfo(card.PaymentMethodId, cards.CustomerId, card.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear));
        var written = session.Start<Payment>(Payment.StreamId(appointmentId), RequestPayment.Decide(appointment, patientId, intent.IntentId, intent.Currency, now));
        return written.Created($"/api/appointments/{appointmentId}/payment",
            written.Refused is null ? PaymentSession.From(Fold<Payment>.All(written.Events)!, intent, stripe.Value) : null);
    }

    public sealed class Validator : AbstractValidator<SavedCardPaymentRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.CardId).NotEmpty().MaximumLength(100).Matches("^pm_[A-Za-z0-9_]+$").WithMessage("'cardId' is a saved card's id (pm_...).");
    }
}

/// <summary>Which saved card to pay with (its id from GET /api/patients/me/cards).</summary>
public sealed record SavedCardPaymentRequest(string CardId);
