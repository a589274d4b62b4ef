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
        var now = time.GetUtcNow();
        var written = await session.AppendAsync<Appointment>(command.AppointmentId,
            appointment => appointment is null || IsEarly(appointment, now) ? Decision.Accept() : ExpireHold.Decide(appointment, now), cancellation);
        if (written.Before is { } early && IsEarly(early, now))
        {
            await context.ScheduleAsync(command, early.HoldExpiresAt - now);
        }
    }

    private static bool IsEarly(Appointment appointment, DateTimeOffset now) =>
        appointment.Status == AppointmentStatus.Held && now < appointment.HoldExpiresAt;
}
