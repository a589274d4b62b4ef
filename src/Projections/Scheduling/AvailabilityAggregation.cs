using EventSourcedClinic.Domain.Scheduling.Availability;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Scheduling;

/// <summary>
/// A therapist's booking rules, stored inline: the command side writes through it and slot searches read it, so no
/// request replays an Availability stream.
/// </summary>
public sealed class AvailabilityAggregation : SingleStreamProjection<Availability, Guid>
{
    public static Availability Create(WorkingHoursSet e) => Availability.Create(e);

    public static Availability Apply(WorkingHoursSet e, Availability a) => a.Apply(e);

    public static Availability Apply(TimeOffAdded e, Availability a) => a.Apply(e);

    public static Availability Apply(TimeOffRemoved e, Availability a) => a.Apply(e);
}
