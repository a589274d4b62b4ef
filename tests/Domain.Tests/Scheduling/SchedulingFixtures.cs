using EventSourcedClinic.Domain.Scheduling.Availability;
using EventSourcedClinic.Domain.Scheduling.Booking;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Domain.Tests.Scheduling;

internal static class SchedulingFixtures
{
    public static readonly Guid TherapistId = Guid.CreateVersion7();

    /// <summary>Weekdays 09:00-12:00 and 13:00-17:00 London time, 10 minutes between 50-minute sessions.</summary>
    public static AvailabilityRules Weekdays(int buffer = 10, int noticeHours = 24, int horizonWeeks = 8) =>
        AvailabilityRules.From(new WorkingHoursSet(TherapistId,
            [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .SelectMany(d => new[] { new WeeklyInterval(d, new TimeOnly(9, 0), new TimeOnly(12, 0)), new WeeklyInterval(d, new TimeOnly(13, 0), new TimeOnly(17, 0)) })],
            buffer, noticeHours, horizonWeeks, DateTimeOffset.UnixEpoch));

    public static TherapistTerms Terms(int fee = 6000, bool bookable = true) => new(TherapistId, bookable, fee, 50);

    public static DateTimeOffset London(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0);
        return new DateTimeOffset(local, UkTime.London.GetUtcOffset(local));
    }

    public static Appointment Held(DateTimeOffset start, DateTimeOffset now, int fee = 6000, Funding funding = Funding.SelfPay) =>
        Appointment.From(new AppointmentHeld(Guid.CreateVersion7(), TherapistId, Guid.CreateVersion7(), start, start.AddMinutes(50),
            fee, funding, now.AddMinutes(15), now));

    public static Appointment Confirmed(DateTimeOffset start, DateTimeOffset now, int fee = 6000, Funding funding = Funding.SelfPay)
    {
        var held = Held(start, now, fee, funding);
        return held.When(new AppointmentConfirmed(held.Id, funding, "test", now));
    }
}
