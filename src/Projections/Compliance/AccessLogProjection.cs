using EventSourcedClinic.Domain.Compliance;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace EventSourcedClinic.Projections.Compliance;

/// <summary>One logged access, with where its event sits in the store.</summary>
public sealed record AccessLogEntry(Guid Id, long Sequence, RecordAccessed Access);

/// <summary>
/// Every logged access as a document, indexed by patient, accessor and time, for the patient's "who saw my record" and
/// the compliance officer's queries. Inline: an access is queryable as soon as the read that caused it returns.
/// </summary>
public sealed partial class AccessLogProjection : EventProjection
{
    public void Project(IEvent<RecordAccessed> e, IDocumentOperations operations) =>
        operations.Store(new AccessLogEntry(e.Data.AccessId, e.Sequence, e.Data));
}
