using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Domain.Scheduling.Reminders;

/// <summary>
/// A reminder the clinic scheduled for a confirmed session. It names the start it was scheduled for: a cancelled
/// session, or one moved since, gets no reminder from it (the move schedules its own).
/// </summary>
public sealed record SendReminder(Guid AppointmentId, string Kind, DateTimeOffset SessionStart, DateTimeOffset DueAt)
{
    /// <summary>The clinic's default: a day before and an hour before.</summary>
    public static readonly TimeSpan[] DefaultLeads = [TimeSpan.FromHours(24), TimeSpan.FromHours(1)];

    /// <summary>The reminders for a session starting at <paramref name="start"/> that are still ahead of <paramref name="now"/>.</summary>
    public static IEnumerable<SendReminder> For(Guid appointmentId, DateTimeOffset start, DateTimeOffset now, IEnumerable<TimeSpan> leads) =>
        leads.Select(lead => new SendReminder(appointmentId, KindOf(lead), start, start - lead)).Where(r => r.DueAt > now);

    /// <summary>"24h", "1h", "90m": how long before the session the reminder goes.</summary>
    public static string KindOf(TimeSpan lead) =>
        lead.TotalMinutes % 60 == 0 ? $"{lead.TotalHours:0}h" : $"{Math.Round(lead.TotalMinutes, 1)}m";

    public static Decision Decide(Appointment appointment, SendReminder command, DateTimeOffset now) =>
        appointment.Status == AppointmentStatus.Confirmed && appointment.Start == command.SessionStart && !appointment.RemindersSent.Contains(command.Kind)
            ? Decision.Accept(new ReminderSent(appointment.Id, command.Kind, command.SessionStart, now))
            : Decision.Accept();
}

public sealed record ReminderSent(Guid AppointmentId, string Kind, DateTimeOffset SessionStart, DateTimeOffset SentAt);
