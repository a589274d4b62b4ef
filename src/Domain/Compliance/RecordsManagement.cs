namespace EventSourcedClinic.Domain.Compliance;

/// <summary>
/// Inside retention, a patient asked for erasure and the clinic must keep the record: it is kept, and processed no
/// further than keeping it (UK GDPR Article 18). New bookings are refused while the restriction stands.
/// </summary>
public sealed record ProcessingRestricted(Guid PatientId, string Reason, DateTimeOffset LastContact, DateTimeOffset RetainUntil, DateTimeOffset RestrictedAt);

/// <summary>
/// The receipt of an erasure: the patient's key is destroyed, their sign-in and NHS-number index removed, and nothing
/// personal remains readable. It names no personal data, only what was done, why, and on whose authority.
/// </summary>
public sealed record PatientErased(
    Guid PatientId,
    string Reason,
    string? OverrideReason,
    DateTimeOffset? LastContact,
    DateTimeOffset? RetainUntil,
    string[] Actions,
    DateTimeOffset ErasedAt);

/// <summary>A patient's records-management state: restricted or erased, and why.</summary>
public sealed record RecordsStatus(Guid Id, Guid PatientId, ProcessingRestricted? Restriction, PatientErased? Erasure)
{
    private static readonly Guid Namespace = new("3c1d9e7a-5b2f-4e8d-9a6c-7f0b1e2d3a4c");

    public static Guid StreamId(Guid patientId) => NameBasedGuid.Create(Namespace, $"records-management/{patientId}");

    public bool IsRestricted => Restriction is not null;

    public bool IsErased => Erasure is not null;

    public static RecordsStatus From(ProcessingRestricted e) => new(StreamId(e.PatientId), e.PatientId, e, null);

    public static RecordsStatus From(PatientErased e) => new(StreamId(e.PatientId), e.PatientId, null, e);

    public RecordsStatus When(ProcessingRestricted e) => this with { Restriction = e };

    public RecordsStatus When(PatientErased e) => this with { Erasure = e };
}

/// <summary>A request to erase a patient's personal data; an override of the retention period needs its own reason.</summary>
public sealed record ErasePatient(string Reason, string? OverrideReason = null)
{
    public const int MinimumReasonLength = 10;
    public const int MaximumReasonLength = 1_000;
}

/// <summary>What an erasure request comes to: erase now, or keep and restrict.</summary>
public sealed record ErasureDecision(bool Erase, DateTimeOffset? RetainUntil, bool Overridden, Rejection? Refusal);

/// <summary>
/// NHS records management: mental-health records are kept for 20 years after the last contact with the service
/// (Records Management Code of Practice 2021, retention schedule). Inside that period an erasure request is refused and
/// processing is restricted instead, unless the data protection officer overrides it with a reason.
/// </summary>
public static class Retention
{
    public const int MentalHealthRecordYears = 20;

    public static DateTimeOffset? RetainUntil(DateTimeOffset? lastContact) => lastContact?.AddYears(MentalHealthRecordYears);

    public static ErasureDecision Decide(ErasePatient request, DateTimeOffset? lastContact, bool alreadyErased, DateTimeOffset now)
    {
        if (alreadyErased)
        {
            return new ErasureDecision(false, null, false, Rejection.Conflict("already-erased", "This patient's personal data has already been erased."));
        }

        var until = RetainUntil(lastContact);
        if (until is null || until <= now)
        {
            return new ErasureDecision(true, until, false, null);
        }

        if (request.OverrideReason is { } reason && !string.IsNullOrWhiteSpace(reason))
        {
            return new ErasureDecision(true, until, true, null);
        }

        return new ErasureDecision(false, until, false, Rejection.Conflict("within-retention",
            $"Mental-health records are kept for {MentalHealthRecordYears} years after the last contact ({lastContact:yyyy-MM-dd}), " +
            $"until {until:yyyy-MM-dd}. The record is kept and its processing restricted instead; the data protection officer may " +
            "override this with a reason."));
    }
}
