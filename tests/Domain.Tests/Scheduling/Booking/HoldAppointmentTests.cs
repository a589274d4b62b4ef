using EventSourcedClinic.Domain.Scheduling.Booking;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Scheduling.Booking;

public class HoldAppointmentTests
{
    private static readonly DateTimeOffset Now = London(2027, 3, 1, 9);
    private static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(15);

    private static Decision Hold(DateTimeOffset start, TherapistTerms? terms = null, Funding funding = Funding.SelfPay,
        EventSourcedClinic.Domain.Scheduling.Availability.Availability? availability = null) =>
        HoldAppointment.Decide(Guid.CreateVersion7(), Guid.CreateVersion7(), new HoldAppointment(TherapistId, start, funding),
            terms ?? Terms(), availability ?? Weekdays(), HoldFor, Now);

    [Fact]
    public void a_self_pay_booking_is_a_hold_that_lapses_after_the_hold_time()
    {
        var start = London(2027, 3, 3, 10);

        var held = Hold(start).Events.ShouldHaveSingleItem().ShouldBeOfType<AppointmentHeld>();

        held.Start.ShouldBe(start);
        held.End.ShouldBe(start.AddMinutes(50));
        held.FeePence.ShouldBe(6000);
        held.HoldExpiresAt.ShouldBe(Now + HoldFor);
    }

    [Fact]
    public void nhs_funded_and_free_sessions_are_confirmed_at_once()
    {
        var start = London(2027, 3, 3, 10);

        Hold(start, funding: Funding.Nhs).Events.Select(e => e.GetType()).ShouldBe([typeof(AppointmentHeld), typeof(AppointmentConfirmed)]);
        var free = Hold(start, Terms(fee: 0)).Events;
        free.Select(e => e.GetType()).ShouldBe([typeof(AppointmentHeld), typeof(AppointmentConfirmed)]);
        ((AppointmentHeld)free[0]).Funding.ShouldBe(Funding.Free);
    }

    [Theory]
    [InlineData(2027, 2, 26, 10, "slot-in-past")]
    [InlineData(2027, 3, 1, 14, "minimum-notice")]
    [InlineData(2027, 3, 2, 8, "minimum-notice")]
    [InlineData(2027, 4, 27, 10, "beyond-horizon")]
    [InlineData(2027, 3, 3, 12, "outside-availability")]
    [InlineData(2027, 3, 3, 10, 30, "outside-availability")]
    [InlineData(2027, 3, 6, 10, "outside-availability")]
    public void times_off_the_rules_are_refused_naming_the_rule(int y, int m, int d, int h, object minuteOrRule, string? rule = null)
    {
        var minute = minuteOrRule is int i ? i : 0;
        var expected = rule ?? (string)minuteOrRule;

        Hold(London(y, m, d, h, minute)).Rejection.ShouldNotBeNull().Rule.ShouldBe(expected);
    }

    [Fact]
    public void the_last_day_of_the_horizon_is_bookable_and_the_next_is_not()
    {
        Hold(London(2027, 4, 26, 10)).IsAccepted.ShouldBeTrue();
        Hold(London(2027, 4, 27, 10)).Rejection.ShouldNotBeNull().Rule.ShouldBe("beyond-horizon");
    }

    [Fact]
    public void a_suspended_or_unverified_therapist_cannot_be_booked()
    {
        Hold(London(2027, 3, 3, 10), Terms(bookable: false)).Rejection.ShouldNotBeNull().Rule.ShouldBe("therapist-not-bookable");
    }

    [Fact]
    public void a_therapist_away_that_day_cannot_be_booked()
    {
        var away = Weekdays().When(new EventSourcedClinic.Domain.Scheduling.Availability.TimeOffAdded(
            TherapistId, Guid.CreateVersion7(), new DateOnly(2027, 3, 3), new DateOnly(2027, 3, 3), "leave", Now));

        Hold(London(2027, 3, 3, 10), availability: away).Rejection.ShouldNotBeNull().Rule.ShouldBe("therapist-time-off");
    }

    [Fact]
    public void a_therapist_without_hours_cannot_be_booked()
    {
        HoldAppointment.Decide(Guid.CreateVersion7(), Guid.CreateVersion7(), new HoldAppointment(TherapistId, London(2027, 3, 3, 10)),
            Terms(), null, HoldFor, Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("no-availability");
    }
}
