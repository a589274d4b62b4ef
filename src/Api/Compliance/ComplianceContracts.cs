using EventSourcedClinic.Domain.Compliance;

namespace EventSourcedClinic.Api.Compliance;

// The access log and erasure receipts as the HTTP API shows them (ADR 0012), mapped from the events at the edge.

/// <summary>One read of a patient's data: who, for what purpose, which streams at which versions, when.</summary>
public sealed record AccessView(
    Guid AccessId, Guid PatientId, string AccessorId, string Role, string? ClientId, AccessPurpose Purpose, string? Reason, string Request,
    AccessedResourceView[] Resources, DateTimeOffset AccessedAt, DateTimeOffset? AsOf, bool Flagged)
{
    public static AccessView From(RecordAccessed a) => new(
        a.AccessId, a.PatientId, a.AccessorId, a.Role, a.ClientId, a.Purpose, a.Reason?.Value, a.Request,
        a.Resources.Select(r => new AccessedResourceView(r.Type, r.Id, r.Version)).ToArray(), a.AccessedAt, a.AsOf, a.Flagged);
}

public sealed record AccessedResourceView(string Type, Guid Id, long Version);

/// <summary>What an erasure did, kept as its receipt; no personal data.</summary>
public sealed record ErasureReceipt(
    Guid PatientId, string Reason, string? OverrideReason, DateTimeOffset? LastContact, DateTimeOffset? RetainUntil, string[] Actions, DateTimeOffset ErasedAt)
{
    public static ErasureReceipt From(PatientErased e) => new(e.PatientId, e.Reason, e.OverrideReason, e.LastContact, e.RetainUntil, e.Actions, e.ErasedAt);
}
