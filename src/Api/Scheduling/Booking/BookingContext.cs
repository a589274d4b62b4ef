using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Scheduling.Reminders;
using EventSourcedClinic.Projections.Therapists;
using EventSourcedClinic.Api.Notifications;
using Wolverine;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>What a booking decision needs to know about the therapist, read from the read models (never a stream replay).</summary>
public static class BookingContext
{
    public static async Task<(TherapistTerms? Terms, AvailabilityRules? Availability)> LoadAsync(
        IQuerySession session, Guid therapistId, CancellationToken cancellation)
    {
        var entry = await session.LoadAsync<TherapistDirectoryEntry>(therapistId, cancellation);
        if (entry is null)
        {
            return (null, null);
        }

        var availability = await session.LoadAsync<AvailabilityRules>(AvailabilityRules.StreamId(therapistId), cancellation);
        return (new TherapistTerms(therapistId, entry.IsListed, entry.FeePence ?? 0, entry.SessionMinutes ?? 50), availability);
    }

    /// <summary>
    /// Schedules, durably and in the same transaction (Wolverine's outbox), what a write implies for later: a hold's lapse,
    /// a session's reminders. A refused write appended nothing and schedules nothing.
    /// </summary>
    public static async Task ScheduleFollowUpsAsync(IMessageContext bus, Written<Appointment> written, DateTimeOffset now, BookingSettings settings)
    {
        var (events, before) = (written.Events, written.Before);
        foreach (var e in events)
        {
            switch (e)
            {
                case AppointmentHeld held when events.OfType<AppointmentConfirmed>().Any() == false:
                    await bus.ScheduleAsync(new ExpireHold(held.AppointmentId), Delay(held.HoldExpiresAt, now));
                    break;
                case AppointmentConfirmed confirmed:
                    var heldNow = events.OfType<AppointmentHeld>().SingleOrDefault();
                    var start = heldNow?.Start ?? before!.Start;
                    await ScheduleReminders(bus, confirmed.AppointmentId, start, now, settings.ReminderLeads);
                    await TellBothAsync(bus, heldNow?.PatientId ?? before!.PatientId, heldNow?.TherapistId ?? before!.TherapistId, Booked(start));
                    break;
                case LapsedHoldPaid paid:
                    await ScheduleReminders(bus, paid.AppointmentId, paid.Start, now, settings.ReminderLeads);
                    await TellBothAsync(bus, before!.PatientId, before.TherapistId, Booked(paid.Start));
                    break;
                case AppointmentRescheduled moved when before?.Status == AppointmentStatus.Confirmed:
                    await ScheduleReminders(bus, moved.AppointmentId, moved.NewStart, now, settings.ReminderLeads);
                    await TellBothAsync(bus, before.PatientId, before.TherapistId,
                        ("session-moved", "Your session has moved", "Your session is now on {when} (UK time).", moved.NewStart));
                    break;
            }
        }
    }

    private static (string Kind, string Subject, string Body, DateTimeOffset At) Booked(DateTimeOffset start) =>
        ("session-booked", "Your session is booked", "Your session is booked for {when} (UK time).", start);

    /// <summary>Tells the patient and the therapist, once the write is committed (the outbox).</summary>
    public static async Task TellBothAsync(IMessageContext bus, Guid patientId, Guid therapistId, (string Kind, string Subject, string Body, DateTimeOffset At) notice)
    {
        foreach (var recipient in new[] { patientId, therapistId })
        {
            await bus.PublishAsync(new Notification(recipient, notice.Kind, notice.Subject, notice.Body, notice.At));
        }
    }

    private static async Task ScheduleReminders(IMessageContext bus, Guid appointmentId, DateTimeOffset start, DateTimeOffset now, TimeSpan[] leads)
    {
        foreach (var reminder in SendReminder.For(appointmentId, start, now, leads))
        {
            await bus.ScheduleAsync(reminder, Delay(reminder.DueAt, now));
        }
    }

    // Wolverine schedules by its own clock; a delay measured on the clinic's clock is right on both.
    private static TimeSpan Delay(DateTimeOffset due, DateTimeOffset now) => due > now ? due - now : TimeSpan.Zero;
}
