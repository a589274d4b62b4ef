using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Domain;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Scheduling.Reminders;
using Marten;
using Wolverine;

namespace EventSourcedClinic.Api.Scheduling.Reminders;

/// <summary>
/// Runs when a scheduled reminder falls due (Wolverine keeps it durably, so it survives a restart). A reminder for a
/// session since cancelled or moved does nothing; otherwise the patient and the therapist are told and the appointment
/// records that they were.
/// </summary>
public static class SendReminderHandler
{
    public static async Task Handle(
        SendReminder command, IDocumentSession session, INotificationSender notifications, TimeProvider time, IMessageContext context,
        CancellationToken cancellation)
    {
        AuditStamp.ApplyClinic(session, context, "send-reminder");
        var stream = await session.Events.FetchForWriting<Appointment>(command.AppointmentId, cancellation);
        if (stream.Aggregate is not { } appointment)
        {
            return;
        }

        var decision = SendReminder.Decide(appointment, command, time.GetUtcNow());
        if (decision.Events.Count == 0)
        {
            return;
        }

        var when = TimeZoneInfo.ConvertTime(appointment.Start, UkTime.London).ToString("dddd d MMMM 'at' HH:mm");
        foreach (var recipient in new[] { appointment.PatientId, appointment.TherapistId })
        {
            await notifications.SendAsync(new Notification(recipient, $"reminder-{command.Kind}",
                $"Your therapy session is coming up ({command.Kind} reminder)", $"Your session is on {when} (UK time)."),
                cancellation);
        }

        stream.AppendMany(decision.Events.ToArray());
    }
}
