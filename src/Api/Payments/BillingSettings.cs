using System.ComponentModel.DataAnnotations;

namespace EventSourcedClinic.Api.Payments;

/// <summary>The "Payments:Billing" section: the clinic's commission on each paid session, and when the ledger is reconciled.</summary>
public sealed class BillingSettings
{
    public const string Section = "Payments:Billing";

    /// <summary>The clinic's share of what a session earned, in percent; the therapist is paid the rest.</summary>
    [Range(0, 100)]
    public decimal CommissionPercent { get; set; } = 20;

    /// <summary>What a commissioning organisation is invoiced per NHS-funded session delivered (the contract's tariff).</summary>
    [Range(0, 1_000_000)]
    public int NhsSessionTariffPence { get; set; } = 10_500;

    /// <summary>Whether the ledger is reconciled with Stripe's balance every night (for the day before).</summary>
    public bool NightlyReconciliation { get; set; } = true;

    /// <summary>When, in UTC, the nightly reconciliation runs.</summary>
    public TimeSpan ReconcileAtUtc { get; set; } = new(2, 30, 0);
}
