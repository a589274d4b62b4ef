using EventSourcedClinic.Domain.Scheduling.Booking;
using Wolverine;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>
/// Runs when a hold's time is up (a durable scheduled message, so it survives a restart). A hold paid or cancelled
/// meanwhile is left alone; one found early, by a clock a little behind, is looked at again when it is due.
/// </summary>
public static class ExpireHoldHandler
{
    public static async Task Handle(ExpireHold command, IDocumentSession session, TimeProvider time, IMessageContext context, CancellationToken cancellation)
    {
        AuditStamp.ApplyClinic(session, context, "expire-hold");
        var stream = await session.Events.FetchForWriting<Appointment>(command.AppointmentId, cancellation);
        if (stream.Aggregate is not { } appointment)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (appointment.Status == AppointmentStatus.Held && now < appointment.HoldExpiresAt)
        {
            await context.ScheduleAsync(command, appointment.HoldExpiresAt - now);
            return;
        }

        stream.AppendMany(ExpireHold.Decide(appointment, now).Events.ToArray());
    }
}
