using EventSourcedClinic.Domain.Compliance;
using Marten.Events.Projections;

namespace EventSourcedClinic.Projections.Compliance;

/// <summary>One logged access, under the access's id.</summary>
public sealed record AccessLogEntry(Guid Id, RecordAccessed Access);

/// <summary>
/// Every logged access as a document, indexed by patient, accessor and time, for the patient's "who saw my record" and
/// the compliance officer's queries. Inline: an access is queryable as soon as the read that caused it returns.
/// </summary>
public sealed partial class AccessLogProjection : EventProjection
{
    public AccessLogEntry Create(RecordAccessed e) => new(e.AccessId, e);
}
