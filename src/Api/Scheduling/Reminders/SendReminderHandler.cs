using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Scheduling.Reminders;
using EventSourcedClinic.Api.Notifications;
using Wolverine;

namespace EventSourcedClinic.Api.Scheduling.Reminders;

/// <summary>
/// Runs when a scheduled reminder falls due (Wolverine keeps it durably, so it survives a restart). A reminder for a
/// session since cancelled or moved does nothing; otherwise the appointment records that it was sent, and the patient
/// and the therapist are told by messages that leave only once that event is committed (the outbox).
/// </summary>
public static class SendReminderHandler
{
    public static async Task<OutgoingMessages> Handle(
        SendReminder command, IDocumentSession session, TimeProvider time, IMessageContext context, CancellationToken cancellation)
    {
        AuditStamp.ApplyClinic(session, context, "send-reminder");
        var written = await session.AppendAsync<Appointment>(command.AppointmentId,
            appointment => appointment is null ? Decision.Accept() : SendReminder.Decide(appointment, command, time.GetUtcNow()), cancellation);
        if (written.Before is not { } due || written.Events.Count == 0)
        {
            return [];
        }

        return
        [
            .. new[] { due.PatientId, due.TherapistId }.Select(recipient => new Notification(recipient, $"reminder-{command.Kind}",
                "Your therapy session is coming up", "Your session is on {when} (UK time).", due.Start)),
        ];
    }
}
