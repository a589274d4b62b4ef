namespace EventSourcedClinic.Domain.Scheduling.Availability;

/// <summary>One stretch of working time on a weekday, in Europe/London local time.</summary>
public sealed record WeeklyInterval(DayOfWeek Day, TimeOnly Start, TimeOnly End);

/// <summary>Dates (inclusive, London) on which a therapist takes no sessions.</summary>
public sealed record TimeOff(Guid TimeOffId, DateOnly From, DateOnly To, string Reason);

/// <summary>
/// A therapist's booking rules as their Availability stream tells it. The stream id is derived from the therapist's
/// (<see cref="StreamId"/>), so it is found without a lookup.
/// </summary>
public sealed record Availability(
    Guid Id,
    Guid TherapistId,
    WeeklyInterval[] Hours,
    int BufferMinutes,
    int MinimumNoticeHours,
    int HorizonWeeks,
    TimeOff[] TimeOff)
{
    public const int DefaultMinimumNoticeHours = 24;
    public const int DefaultHorizonWeeks = 8;

    private static readonly Guid Namespace = new("6f1c4a52-0a55-4a5e-9a8e-3a1f0b2c7d11");

    public static Guid StreamId(Guid therapistId) => NameBasedGuid.Create(Namespace, $"availability/{therapistId}");

    public static Availability From(WorkingHoursSet e) =>
        new(StreamId(e.TherapistId), e.TherapistId, e.Hours, e.BufferMinutes, e.MinimumNoticeHours, e.HorizonWeeks, []);

    public Availability When(WorkingHoursSet e) =>
        this with { Hours = e.Hours, BufferMinutes = e.BufferMinutes, MinimumNoticeHours = e.MinimumNoticeHours, HorizonWeeks = e.HorizonWeeks };

    public Availability When(TimeOffAdded e) => this with { TimeOff = [.. TimeOff, new TimeOff(e.TimeOffId, e.From, e.To, e.Reason)] };

    public Availability When(TimeOffRemoved e) => this with { TimeOff = TimeOff.Where(t => t.TimeOffId != e.TimeOffId).ToArray() };

    public bool IsOff(DateOnly londonDate) => TimeOff.Any(t => t.From <= londonDate && londonDate <= t.To);
}
