using EventSourcedClinic.Domain.Clinical.Episodes;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Clinical;

/// <summary>Care episodes stored inline: the care team check and the episode lists read them.</summary>
public sealed class CareEpisodeAggregation : SingleStreamProjection<CareEpisode, Guid>
{
    public static CareEpisode Create(ReferralReceived e) => CareEpisode.Create(e);

    public static CareEpisode Apply(EpisodeAssessed e, CareEpisode c) => c.Apply(e);

    public static CareEpisode Apply(TreatmentStarted e, CareEpisode c) => c.Apply(e);

    public static CareEpisode Apply(EpisodeDischarged e, CareEpisode c) => c.Apply(e);
}
