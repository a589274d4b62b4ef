using EventSourcedClinic.Domain.Compliance;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Compliance;

/// <summary>Inline, so that a restriction stops the next booking at once.</summary>
public sealed class RecordsStatusAggregation : SingleStreamProjection<RecordsStatus, Guid>
{
    public static RecordsStatus Create(ProcessingRestricted e) => RecordsStatus.Create(e);

    public static RecordsStatus Create(PatientErased e) => RecordsStatus.Create(e);

    public static RecordsStatus Apply(ProcessingRestricted e, RecordsStatus s) => s.Apply(e);

    public static RecordsStatus Apply(PatientErased e, RecordsStatus s) => s.Apply(e);
}
