using EventSourcedClinic.Domain.Scheduling.Availability;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Scheduling.Availability;

public class SetWorkingHoursTests
{
    private static readonly DateTimeOffset Now = London(2027, 3, 1, 9);

    [Fact]
    public void the_first_hours_start_the_stream_sorted_by_day_and_time()
    {
        var decision = SetWorkingHours.Decide(TherapistId, null, new SetWorkingHours(0,
            [new WeeklyInterval(DayOfWeek.Tuesday, new(14, 0), new(16, 0)), new WeeklyInterval(DayOfWeek.Monday, new(9, 0), new(12, 0))], 10), Now);

        var set = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<WorkingHoursSet>();
        set.Hours.Select(h => h.Day).ShouldBe([DayOfWeek.Monday, DayOfWeek.Tuesday]);
        set.MinimumNoticeHours.ShouldBe(24);
        set.HorizonWeeks.ShouldBe(8);
    }

    [Fact]
    public void overlapping_intervals_on_one_day_are_refused()
    {
        SetWorkingHours.Decide(TherapistId, null, new SetWorkingHours(0,
                [new WeeklyInterval(DayOfWeek.Monday, new(9, 0), new(12, 0)), new WeeklyInterval(DayOfWeek.Monday, new(11, 0), new(13, 0))], 0), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("intervals-overlap");
    }

    [Fact]
    public void an_interval_that_ends_before_it_starts_is_refused()
    {
        SetWorkingHours.Decide(TherapistId, null, new SetWorkingHours(0, [new WeeklyInterval(DayOfWeek.Monday, new(12, 0), new(9, 0))], 0), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("interval-order");
    }

    [Fact]
    public void stating_the_same_hours_again_appends_nothing()
    {
        var current = Weekdays();

        SetWorkingHours.Decide(TherapistId, current, new SetWorkingHours(1, current.Hours, current.BufferMinutes), Now).Events.ShouldBeEmpty();
    }

    [Fact]
    public void time_off_in_the_past_or_backwards_is_refused()
    {
        AddTimeOff.Decide(Weekdays(), new AddTimeOff(1, new DateOnly(2027, 2, 1), new DateOnly(2027, 2, 2), "x"), Guid.CreateVersion7(), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("time-off-in-past");
        AddTimeOff.Decide(Weekdays(), new AddTimeOff(1, new DateOnly(2027, 4, 2), new DateOnly(2027, 4, 1), "x"), Guid.CreateVersion7(), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("time-off-order");
    }
}
