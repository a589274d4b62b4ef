namespace EventSourcedClinic.Domain.Scheduling.Availability;

/// <summary>
/// A therapist states their weekly hours (London time, several intervals a day), the buffer between sessions, the
/// minimum notice for a booking and how far ahead patients may book. The first statement starts the stream
/// (expected version 0).
/// </summary>
public sealed record SetWorkingHours(
    long ExpectedVersion,
    WeeklyInterval[] Hours,
    int BufferMinutes,
    int MinimumNoticeHours = Availability.DefaultMinimumNoticeHours,
    int HorizonWeeks = Availability.DefaultHorizonWeeks) : IExpectVersion
{
    public const int MaxBufferMinutes = 120;
    public const int MaxNoticeHours = 24 * 14;
    public const int MaxHorizonWeeks = 52;

    public static Decision Decide(Guid therapistId, Availability? current, SetWorkingHours command, DateTimeOffset now)
    {
        foreach (var interval in command.Hours)
        {
            if (interval.End <= interval.Start)
            {
                return Rejection.Unprocessable("interval-order", $"{interval.Day} {interval.Start:HH\\:mm}-{interval.End:HH\\:mm} ends before it starts.");
            }
        }

        var overlapping = command.Hours.GroupBy(h => h.Day)
            .SelectMany(day => day.OrderBy(h => h.Start).Zip(day.OrderBy(h => h.Start).Skip(1)))
            .FirstOrDefault(pair => pair.Second.Start < pair.First.End);
        if (overlapping != default)
        {
            return Rejection.Unprocessable("intervals-overlap", $"Two intervals overlap on {overlapping.First.Day}.");
        }

        if (command.BufferMinutes is < 0 or > MaxBufferMinutes
            || command.MinimumNoticeHours is < 0 or > MaxNoticeHours
            || command.HorizonWeeks is < 1 or > MaxHorizonWeeks)
        {
            return Rejection.Unprocessable("availability-range",
                $"Buffer 0-{MaxBufferMinutes} minutes, notice 0-{MaxNoticeHours} hours, horizon 1-{MaxHorizonWeeks} weeks.");
        }

        var hours = command.Hours.OrderBy(h => h.Day).ThenBy(h => h.Start).ToArray();
        if (current is not null && current.Hours.SequenceEqual(hours) && current.BufferMinutes == command.BufferMinutes
            && current.MinimumNoticeHours == command.MinimumNoticeHours && current.HorizonWeeks == command.HorizonWeeks)
        {
            return Decision.Accept();
        }

        return Decision.Accept(new WorkingHoursSet(therapistId, hours, command.BufferMinutes, command.MinimumNoticeHours, command.HorizonWeeks, now));
    }
}

public sealed record WorkingHoursSet(
    Guid TherapistId, WeeklyInterval[] Hours, int BufferMinutes, int MinimumNoticeHours, int HorizonWeeks, DateTimeOffset SetAt);
