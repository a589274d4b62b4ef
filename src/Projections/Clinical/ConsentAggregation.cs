using EventSourcedClinic.Domain.Clinical.Consent;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Clinical;

/// <summary>A patient's consents stored inline: disclosures read the consent in force without replaying the stream.</summary>
public sealed class ConsentAggregation : SingleStreamProjection<ConsentRecord, Guid>
{
    public static ConsentRecord Create(ConsentGiven e) => ConsentRecord.Create(e);

    public static ConsentRecord Create(ConsentWithdrawn e) => ConsentRecord.Create(e);

    public static ConsentRecord Apply(ConsentGiven e, ConsentRecord r) => r.Apply(e);

    public static ConsentRecord Apply(ConsentWithdrawn e, ConsentRecord r) => r.Apply(e);
}
