using EventSourcedClinic.Domain.Scheduling.Availability;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Domain.Tests.Scheduling.Availability;

public class SlotGridTests
{
    [Fact]
    public void sessions_start_every_session_plus_buffer_while_they_end_inside_the_interval()
    {
        var slots = SlotGrid.Between(Weekdays(), 50, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 1)).ToArray();

        slots.Select(s => TimeZoneInfo.ConvertTime(s.Start, UkTime.London).ToString("HH:mm"))
            .ShouldBe(["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]);
        slots.ShouldAllBe(s => s.End - s.Start == TimeSpan.FromMinutes(50));
    }

    [Theory]
    [InlineData(2027, 3, 22, 10)] // Monday before the spring change: GMT, 10:00 London is 10:00 UTC
    [InlineData(2027, 3, 29, 9)]  // Monday after it: BST, 10:00 London is 09:00 UTC
    [InlineData(2027, 10, 25, 9)] // Monday before the autumn change: still BST
    [InlineData(2027, 11, 1, 10)] // Monday after it: GMT again
    public void a_ten_oclock_session_is_ten_oclock_london_time_on_both_sides_of_the_2027_clock_changes(int year, int month, int day, int utcHour)
    {
        var date = new DateOnly(year, month, day);

        var slots = SlotGrid.Between(Weekdays(), 50, date, date).ToArray();

        slots.ShouldContain(s => s.Start == new DateTimeOffset(year, month, day, utcHour, 0, 0, TimeSpan.Zero));
        slots.Length.ShouldBe(7);
    }

    [Fact]
    public void the_hour_lost_on_28_march_2027_has_no_session()
    {
        var night = AvailabilityRules.From(new WorkingHoursSet(TherapistId,
            [new WeeklyInterval(DayOfWeek.Sunday, new TimeOnly(0, 0), new TimeOnly(4, 0))], 0, 0, 8, DateTimeOffset.UnixEpoch));

        var slots = SlotGrid.Between(night, 60, new DateOnly(2027, 3, 28), new DateOnly(2027, 3, 28)).ToArray();

        slots.Select(s => s.Start.UtcDateTime.Hour).ShouldBe([0, 1, 2]);
        slots.Select(s => TimeZoneInfo.ConvertTime(s.Start, UkTime.London).Hour).ShouldBe([0, 2, 3]);
    }

    [Fact]
    public void the_hour_repeated_on_31_october_2027_has_one_session_at_its_summer_time_occurrence()
    {
        var night = AvailabilityRules.From(new WorkingHoursSet(TherapistId,
            [new WeeklyInterval(DayOfWeek.Sunday, new TimeOnly(0, 0), new TimeOnly(3, 0))], 0, 0, 8, DateTimeOffset.UnixEpoch));

        var slots = SlotGrid.Between(night, 60, new DateOnly(2027, 10, 31), new DateOnly(2027, 10, 31)).ToArray();

        // 00:00 BST = 23:00Z, 01:00 BST (first of the two) = 00:00Z, 02:00 GMT = 02:00Z.
        slots.Select(s => s.Start).ShouldBe([
            new DateTimeOffset(2027, 10, 30, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 10, 31, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2027, 10, 31, 2, 0, 0, TimeSpan.Zero),
        ]);
    }

    [Fact]
    public void time_off_removes_whole_london_days()
    {
        var away = Weekdays().When(new TimeOffAdded(TherapistId, Guid.CreateVersion7(), new DateOnly(2027, 3, 2), new DateOnly(2027, 3, 3), "leave", DateTimeOffset.UnixEpoch));

        var slots = SlotGrid.Between(away, 50, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 4)).ToArray();

        slots.Select(s => UkTime.Today(s.Start)).Distinct().ShouldBe([new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 4)]);
    }

    [Fact]
    public void a_session_longer_than_every_interval_has_no_slot()
    {
        SlotGrid.Between(Weekdays(), 241, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 5)).ShouldBeEmpty();
    }
}
