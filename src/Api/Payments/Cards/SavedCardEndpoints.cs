using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Integrations.Payments;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Payments.Cards;

/// <summary>
/// A patient saves a card for next time (ADR 0014): the clinic makes them a Stripe customer (once, named by nothing but
/// their id) and a SetupIntent, which their device confirms with the card through Stripe.js or a mobile SDK; Stripe's
/// setup_intent.succeeded then records the card's brand and last four digits. The number never reaches the clinic.
/// </summary>
public static class SavedCardEndpoints
{
    [WolverinePost("/api/patients/me/cards"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<CardSetup>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        ClaimsPrincipal user, IDocumentSession session, IPaymentProvider provider, IOptions<StripeSettings> stripe, TimeProvider time,
        CancellationToken cancellation)
    {
        var patientId = Actor.From(user).UserId!.Value;
        var streamId = SavedCards.StreamId(patientId);
        var cards = await session.Events.AggregateStreamAsync<SavedCards>(streamId, token: cancellation);
        var customerId = cards?.CustomerId ?? await provider.CreateCustomerAsync(patientId, $"customer-{patientId}", cancellation);
        if (cards is null)
        {
            session.Start<SavedCards>(streamId, Decision.Accept(new CardCustomerCreated(streamId, patientId, customerId, time.GetUtcNow())));
        }

        var setup = await provider.CreateCardSetupAsync(customerId, patientId, $"card-setup-{patientId}-{Guid.NewGuid():N}", cancellation);
        return Results.Ok(new CardSetup(setup.SetupIntentId, setup.ClientSecret, stripe.Value.PublishableKey));
    }

    [WolverineGet("/api/patients/me/cards"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<SavedCardView[]>(StatusCodes.Status200OK)]
    public static async Task<SavedCardView[]> Get(ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation) =>
        (await session.Events.AggregateStreamAsync<SavedCards>(SavedCards.StreamId(Actor.From(user).UserId!.Value), token: cancellation))?.Cards
            .Select(SavedCardView.From).ToArray() ?? [];

    /// <summary>
    /// Forgets a card: detached at Stripe first, so it can no longer be charged, then recorded as removed (a removal is
    /// an event like any other: no route deletes anything).
    /// </summary>
    [WolverinePost("/api/patients/me/cards/{paymentMethodId}/removal"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> PostRemoval(
        string paymentMethodId, ClaimsPrincipal user, IDocumentSession session, IPaymentProvider provider, TimeProvider time, CancellationToken cancellation)
    {
        var streamId = SavedCards.StreamId(Actor.From(user).UserId!.Value);
        var cards = await session.Events.AggregateStreamAsync<SavedCards>(streamId, token: cancellation);
        if (RemoveCard.Decide(cards, paymentMethodId, time.GetUtcNow()).Rejection is { } refused)
        {
            return Results.Problem(Problems.From(refused));
        }

        await provider.DetachCardAsync(paymentMethodId, cancellation);
        var written = await session.AppendAsync<SavedCards>(streamId, current => RemoveCard.Decide(current, paymentMethodId, time.GetUtcNow()), cancellation);
        return written.Refused is { } problem ? Results.Problem(problem) : Results.NoContent();
    }
}

/// <summary>What the payer's device needs to save a card with Stripe: the setup's client secret and the publishable key.</summary>
public sealed record CardSetup(string SetupIntentId, string ClientSecret, string PublishableKey);

public sealed record SavedCardView(string Id, string Brand, string Last4, int ExpiryMonth, int ExpiryYear)
{
    public static SavedCardView From(SavedCard card) => new(card.PaymentMethodId, card.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear);
}
