using EventSourcedClinic.Domain.Payments;

namespace EventSourcedClinic.Projections.Payments;

/// <summary>What moved the clinic's balance at Stripe, from the clinic's side (ADR 0014).</summary>
public enum LedgerKind
{
    /// <summary>A payment taken (in).</summary>
    Charge,

    /// <summary>Money given back to the payer (out).</summary>
    Refund,

    /// <summary>The therapist's share, moved to their account (out).</summary>
    Transfer,

    /// <summary>Taken back by the payer's bank (out).</summary>
    Dispute,
}

/// <param name="Source">Stripe's object (ch_, re_, tr_, dp_): the source of its balance transaction, by which the two are matched.</param>
/// <param name="AmountPence">Signed from the clinic's balance: a charge in, the rest out.</param>
/// <param name="At">When the clinic recorded it (the day and month it is reported in).</param>
/// <param name="ProcessorAt">When Stripe made it, by Stripe's clock (the day it is reconciled on).</param>
public sealed record LedgerEntry(LedgerKind Kind, string Source, int AmountPence, DateTimeOffset At, DateTimeOffset ProcessorAt);

/// <summary>
/// The billing ledger of one payment: every movement of money for it, with the patient and therapist it belongs to,
/// built from the payment's events (a read model: rebuilt from them at any time). Queried by day, month, patient or
/// therapist, and matched against Stripe's balance transactions by each entry's source.
/// </summary>
public sealed record PaymentLedger(Guid Id, Guid AppointmentId, Guid PatientId, Guid TherapistId, LedgerEntry[] Entries)
{
    /// <summary>The earliest and latest entry, for a range query (an empty ledger has neither).</summary>
    public DateTimeOffset? FirstAt { get; init; }

    public DateTimeOffset? LastAt { get; init; }

    /// <summary>The same by Stripe's clock, for reconciling a day of Stripe's balance.</summary>
    public DateTimeOffset? ProcessorFirstAt { get; init; }

    public DateTimeOffset? ProcessorLastAt { get; init; }

    /// <summary>Earned once the session took place: the clinic's commission, reported when it is earned.</summary>
    public SessionFeeEarned? Earned { get; init; }

    public static PaymentLedger From(PaymentRequested e) => new(e.PaymentId, e.AppointmentId, e.PatientId, e.TherapistId, []);

    public PaymentLedger When(PaymentSucceeded e) => Add(new LedgerEntry(LedgerKind.Charge, e.ChargeId ?? e.IntentId, (int)e.AmountReceived, e.SucceededAt, e.ProcessorAt ?? e.SucceededAt));

    public PaymentLedger When(DuplicatePaymentReceived e) =>
        Add(new LedgerEntry(LedgerKind.Charge, e.ChargeId ?? e.IntentId, e.AmountPence, e.ReceivedAt, e.ProcessorAt ?? e.ReceivedAt));

    public PaymentLedger When(RefundIssued e) => Add(new LedgerEntry(LedgerKind.Refund, e.RefundId, -e.AmountPence, e.IssuedAt, e.ProcessorAt ?? e.IssuedAt));

    public PaymentLedger When(TherapistTransferred e) =>
        Add(new LedgerEntry(LedgerKind.Transfer, e.TransferId, -e.AmountPence, e.TransferredAt, e.ProcessorAt ?? e.TransferredAt));

    public PaymentLedger When(DisputeOpened e) => Add(new LedgerEntry(LedgerKind.Dispute, e.DisputeId, -e.AmountPence, e.OpenedAt, e.ProcessorAt ?? e.OpenedAt));

    public PaymentLedger When(SessionFeeEarned e) => this with { Earned = e };

    public PaymentLedger When(PaymentFailed e) => this;

    private PaymentLedger Add(LedgerEntry entry) => this with
    {
        Entries = [.. Entries, entry],
        FirstAt = FirstAt is { } first && first < entry.At ? first : entry.At,
        LastAt = LastAt is { } last && last > entry.At ? last : entry.At,
        ProcessorFirstAt = ProcessorFirstAt is { } pFirst && pFirst < entry.ProcessorAt ? pFirst : entry.ProcessorAt,
        ProcessorLastAt = ProcessorLastAt is { } pLast && pLast > entry.ProcessorAt ? pLast : entry.ProcessorAt,
    };
}
