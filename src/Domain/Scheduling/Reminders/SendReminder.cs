using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Domain.Scheduling.Reminders;

/// <summary>
/// A reminder the clinic scheduled for a confirmed session. It names the start it was scheduled for: a cancelled
/// session, or one moved since, gets no reminder from it (the move schedules its own).
/// </summary>
public sealed record SendReminder(Guid AppointmentId, string Kind, DateTimeOffset SessionStart)
{
    public const string DayBefore = "24h";
    public const string HourBefore = "1h";

    public static readonly IReadOnlyDictionary<string, TimeSpan> Lead = new Dictionary<string, TimeSpan>
    {
        [DayBefore] = TimeSpan.FromHours(24),
        [HourBefore] = TimeSpan.FromHours(1),
    };

    public DateTimeOffset DueAt => SessionStart - Lead[Kind];

    /// <summary>The reminders for a session starting at <paramref name="start"/> that are still ahead of <paramref name="now"/>.</summary>
    public static IEnumerable<SendReminder> For(Guid appointmentId, DateTimeOffset start, DateTimeOffset now) =>
        Lead.Keys.Select(kind => new SendReminder(appointmentId, kind, start)).Where(r => r.DueAt > now);

    public static Decision Decide(Appointment appointment, SendReminder command, DateTimeOffset now) =>
        appointment.Status == AppointmentStatus.Confirmed && appointment.Start == command.SessionStart && !appointment.RemindersSent.Contains(command.Kind)
            ? Decision.Accept(new ReminderSent(appointment.Id, command.Kind, command.SessionStart, now))
            : Decision.Accept();
}

public sealed record ReminderSent(Guid AppointmentId, string Kind, DateTimeOffset SessionStart, DateTimeOffset SentAt);
