namespace EventSourcedClinic.Domain.Payments;

/// <summary>
/// A therapist's Stripe Connect (Express) account, through which they are paid their share of each session: opened by
/// the clinic, onboarded by the therapist on Stripe's own pages, and able to take money once Stripe says so.
/// </summary>
public sealed record PayoutAccount(Guid Id, Guid TherapistId, string AccountId, bool DetailsSubmitted, bool PayoutsEnabled, string[] ProcessorEvents)
{
    private static readonly Guid Namespace = new("8a1f4c2e-5d6b-4e79-9c30-2b7e1d4f6a58");

    public static Guid StreamId(Guid therapistId) => NameBasedGuid.Create(Namespace, $"payout-account/{therapistId}");

    /// <summary>Stripe takes transfers to the account: onboarding done and payouts enabled.</summary>
    public bool Ready => DetailsSubmitted && PayoutsEnabled;

    public static PayoutAccount From(PayoutAccountOpened e) => new(e.PayoutAccountId, e.TherapistId, e.AccountId, false, false, []);

    public PayoutAccount When(PayoutAccountUpdated e) =>
        this with { DetailsSubmitted = e.DetailsSubmitted, PayoutsEnabled = e.PayoutsEnabled, ProcessorEvents = [.. ProcessorEvents, e.ProcessorEventId] };
}

public sealed record PayoutAccountOpened(Guid PayoutAccountId, Guid TherapistId, string AccountId, DateTimeOffset OpenedAt);

/// <summary>What Stripe reports of the account (account.updated): whether onboarding is done and payouts can be made.</summary>
public sealed record PayoutAccountUpdated(
    Guid PayoutAccountId, string AccountId, bool DetailsSubmitted, bool ChargesEnabled, bool PayoutsEnabled, string ProcessorEventId, DateTimeOffset UpdatedAt);

public static class OpenPayoutAccount
{
    public static Decision Decide(PayoutAccount? existing, Guid therapistId, string accountId, DateTimeOffset now) =>
        existing is not null
            ? Decision.Accept()
            : Decision.Accept(new PayoutAccountOpened(PayoutAccount.StreamId(therapistId), therapistId, accountId, now));
}

/// <summary>Applies Stripe's account.updated once per event; a report that changes nothing is not recorded.</summary>
public static class UpdatePayoutAccount
{
    public static Decision Decide(PayoutAccount account, string processorEventId, bool detailsSubmitted, bool chargesEnabled, bool payoutsEnabled, DateTimeOffset now) =>
        account.ProcessorEvents.Contains(processorEventId) || (account.DetailsSubmitted == detailsSubmitted && account.PayoutsEnabled == payoutsEnabled)
            ? Decision.Accept()
            : Decision.Accept(new PayoutAccountUpdated(account.Id, account.AccountId, detailsSubmitted, chargesEnabled, payoutsEnabled, processorEventId, now));
}
