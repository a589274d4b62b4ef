using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Scheduling.Reminders;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Scheduling.Booking;

public class ReminderTests
{
    private static readonly DateTimeOffset Now = London(2027, 3, 1, 9);
    private static readonly DateTimeOffset Start = London(2027, 3, 3, 10);

    [Fact]
    public void a_confirmed_session_gets_a_reminder_a_day_and_an_hour_before_while_they_are_ahead()
    {
        var reminders = SendReminder.For(Guid.CreateVersion7(), Start, Now, SendReminder.DefaultLeads).ToArray();

        reminders.Select(r => r.Kind).ShouldBe(["24h", "1h"]);
        reminders.Select(r => r.DueAt).ShouldBe([Start.AddHours(-24), Start.AddHours(-1)]);
        SendReminder.For(Guid.CreateVersion7(), Start, Start.AddHours(-3), SendReminder.DefaultLeads).Select(r => r.Kind).ShouldBe(["1h"]);
    }

    [Fact]
    public void a_reminder_goes_once_and_only_for_the_start_it_was_scheduled_for()
    {
        var confirmed = Confirmed(Start, Now);
        var reminder = new SendReminder(confirmed.Id, "1h", Start, Start.AddHours(-1));

        var sent = SendReminder.Decide(confirmed, reminder, Start.AddHours(-1)).Events.ShouldHaveSingleItem().ShouldBeOfType<ReminderSent>();
        SendReminder.Decide(Fold<Appointment>.Next(confirmed, sent), reminder, Start.AddHours(-1)).Events.ShouldBeEmpty();

        var moved = Fold<Appointment>.Next(confirmed, new AppointmentRescheduled(confirmed.Id, Start, Start.AddMinutes(50), Start.AddDays(1), Start.AddDays(1).AddMinutes(50), CancelledBy.Patient, Now));
        SendReminder.Decide(moved, reminder, Start.AddHours(-1)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_cancelled_session_gets_no_reminder()
    {
        var cancelled = Fold<Appointment>.Next(Confirmed(Start, Now), new AppointmentCancelled(Guid.Empty, CancelledBy.Patient, PersonalText.Of(Guid.CreateVersion7(), "x"), FeeOutcome.FullRefund, 6000, Now));

        SendReminder.Decide(cancelled, new SendReminder(cancelled.Id, "24h", Start, Start.AddHours(-24)), Start.AddHours(-24)).Events.ShouldBeEmpty();
    }
}
