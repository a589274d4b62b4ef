using EventSourcedClinic.Domain.Clinical.History;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Clinical;

/// <summary>A patient's health history stored inline for the care team's views.</summary>
public sealed class ClinicalHistoryAggregation : SingleStreamProjection<ClinicalHistory, Guid>
{
    public static ClinicalHistory Create(HistoryEntryRecorded e) => ClinicalHistory.Create(e);

    public static ClinicalHistory Apply(HistoryEntryRecorded e, ClinicalHistory h) => h.Apply(e);

    public static ClinicalHistory Apply(HistoryEntryEnteredInError e, ClinicalHistory h) => h.Apply(e);
}
