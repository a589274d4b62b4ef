namespace EventSourcedClinic.Domain.Scheduling.Availability;

/// <summary>A bookable stretch of time, in UTC, that begins at a London wall-clock time on the therapist's grid.</summary>
public sealed record Slot(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Turns weekly London hours into concrete slots. A session starts at the start of an interval and every
/// session-plus-buffer after it while it still ends inside the interval. Wall-clock times are kept across the clock
/// changes: 10:00 is 10:00 London time in March and in October; a time that does not exist (the spring gap) has no
/// slot, and a time that happens twice (the autumn overlap) is taken at its first, summer-time occurrence.
/// </summary>
public static class SlotGrid
{
    public static IEnumerable<Slot> Between(Availability availability, int sessionMinutes, DateOnly from, DateOnly to)
    {
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            if (availability.IsOff(date))
            {
                continue;
            }

            foreach (var interval in availability.Hours.Where(h => h.Day == date.DayOfWeek).OrderBy(h => h.Start))
            {
                var end = interval.End.ToTimeSpan();
                var session = TimeSpan.FromMinutes(sessionMinutes);
                var step = session + TimeSpan.FromMinutes(availability.BufferMinutes);
                for (var start = interval.Start.ToTimeSpan(); start + session <= end; start += step)
                {
                    if (ToInstant(date, start) is { } instant)
                    {
                        yield return new Slot(instant, instant.AddMinutes(sessionMinutes));
                    }
                }
            }
        }
    }

    /// <summary>Whether <paramref name="start"/> is exactly a slot of the grid on its London date.</summary>
    public static bool IsOnGrid(Availability availability, int sessionMinutes, DateTimeOffset start)
    {
        var date = UkTime.Today(start);
        return Between(availability, sessionMinutes, date, date).Any(slot => slot.Start == start);
    }

    /// <summary>The earliest and latest start a patient may book now: minimum notice from now, to the end of the horizon's last London day.</summary>
    public static (DateTimeOffset Earliest, DateTimeOffset Latest) BookingWindow(Availability availability, DateTimeOffset now)
    {
        var lastDate = UkTime.Today(now).AddDays(availability.HorizonWeeks * 7);
        var latest = ToInstant(lastDate.AddDays(1), TimeSpan.Zero) ?? now.AddDays(availability.HorizonWeeks * 7 + 1);
        return (now.AddHours(availability.MinimumNoticeHours), latest);
    }

    private static DateTimeOffset? ToInstant(DateOnly date, TimeSpan sinceMidnight)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).Add(sinceMidnight);
        if (UkTime.London.IsInvalidTime(local))
        {
            return null;
        }

        var offset = UkTime.London.IsAmbiguousTime(local)
            ? UkTime.London.GetAmbiguousTimeOffsets(local).Max()
            : UkTime.London.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
