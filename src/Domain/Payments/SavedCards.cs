namespace EventSourcedClinic.Domain.Payments;

/// <summary>
/// The cards a patient saved for next time (ADR 0014): only Stripe's customer and payment-method ids, the brand, the
/// last four digits and the expiry (a truncated card number PCI DSS allows to be kept), never the number itself.
/// </summary>
public sealed record SavedCards(Guid Id, Guid PatientId, string CustomerId, SavedCard[] Cards)
{
    private static readonly Guid Namespace = new("c4e2a7d9-1b35-4f60-8e2c-9d7a3b5f1e04");

    public static Guid StreamId(Guid patientId) => NameBasedGuid.Create(Namespace, $"saved-cards/{patientId}");

    public static SavedCards From(CardCustomerCreated e) => new(e.SavedCardsId, e.PatientId, e.CustomerId, []);

    public SavedCards When(CardSaved e) => this with { Cards = [.. Cards.Where(c => c.PaymentMethodId != e.Card.PaymentMethodId), e.Card] };

    public SavedCards When(CardRemoved e) => this with { Cards = Cards.Where(c => c.PaymentMethodId != e.PaymentMethodId).ToArray() };
}

public sealed record SavedCard(string PaymentMethodId, string Brand, string Last4, int ExpiryMonth, int ExpiryYear, DateTimeOffset SavedAt);

public sealed record CardCustomerCreated(Guid SavedCardsId, Guid PatientId, string CustomerId, DateTimeOffset CreatedAt);

public sealed record CardSaved(Guid SavedCardsId, SavedCard Card);

public sealed record CardRemoved(Guid SavedCardsId, string PaymentMethodId, DateTimeOffset RemovedAt);

public static class SaveCard
{
    /// <summary>A card Stripe attached to this patient's own customer, once; a card of another customer is refused.</summary>
    public static Decision Decide(SavedCards cards, string? customerId, SavedCard card) =>
        customerId != cards.CustomerId ? Rejection.Unprocessable("other-customer", "That card belongs to another customer.")
        : cards.Cards.Any(c => c.PaymentMethodId == card.PaymentMethodId) ? Decision.Accept()
        : Decision.Accept(new CardSaved(cards.Id, card));
}

public static class RemoveCard
{
    public static Decision Decide(SavedCards? cards, string paymentMethodId, DateTimeOffset now) =>
        cards?.Cards.Any(c => c.PaymentMethodId == paymentMethodId) == true
            ? Decision.Accept(new CardRemoved(cards.Id, paymentMethodId, now))
            : Rejection.NotFound("not-found", "No saved card with that id.");
}
