using EventSourcedClinic.Domain.Notifications;
using EventSourcedClinic.Integrations.Email;
using Wolverine;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>One attempt to deliver a notification: when, on which channel, and how it went (kept for the desk and the audit).</summary>
/// <param name="Reference">The channel's own id for what was sent (Twilio's message SID), by which its later reports are matched.</param>
public sealed record NotificationDelivery(
    Guid Id, Guid NotificationId, Guid RecipientId, string Kind, string Channel, int Attempt, string Outcome, string? Error, DateTimeOffset At,
    string? Reference = null);

/// <summary>
/// Hands a notification to the senders of the person's chosen channels once the event that caused it has been committed,
/// in their language, and records each attempt. During their quiet hours it waits (a scheduled message) until they end.
/// A server that will not take it now fails the attempt, which is recorded and retried (the area's policy); the message
/// stays in the durable inbox until it is delivered or its retries are spent.
/// </summary>
public static class DeliverNotificationHandler
{
    public static async Task Handle(
        Notification notification, IEnumerable<INotificationSender> senders, IDocumentStore store, IMessageContext context, Envelope envelope,
        TimeProvider time, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        await using var query = store.QuerySession();
        var preferences = await query.LoadAsync<NotificationPreferences>(NotificationPreferences.StreamId(notification.RecipientId), cancellation)
                          ?? NotificationPreferences.Default(notification.RecipientId);
        if (!notification.Urgent && preferences.QuietFor(TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, UkTime.London).DateTime)) is { } wait)
        {
            await context.ScheduleAsync(notification, wait);
            await RecordAsync(store, envelope, notification, "any", "deferred-quiet-hours", null, now);
            return;
        }

        var (subject, body) = NotificationText.Render(notification, preferences.Language);
        var rendered = notification with { Subject = subject, Body = body };
        var chosen = senders.Where(s => s.Channel == "log" || preferences.Channels.Contains(s.Channel)).ToArray();

        // A retry after one channel failed does not send again on the channels that already took it.
        var done = (await query.Query<NotificationDelivery>().Where(d => d.NotificationId == envelope.Id && d.Outcome != "failed")
            .Select(d => d.Channel).ToListAsync(cancellation)).ToHashSet();
        foreach (var sender in (chosen.Length > 0 ? chosen : senders.Take(1)).Where(s => !done.Contains(s.Channel)))
        {
            var (outcome, error, reference) = ("failed", (string?)null, (string?)null);
            try
            {
                reference = await sender.SendAsync(rendered, preferences.Language, cancellation);
                outcome = reference is null ? "no-address" : sender.Channel is "sms" or "push" ? "accepted" : "delivered";
            }
            catch (Integrations.Sms.RecipientRefusedException e)
            {
                // The address itself is refused (a number Twilio will not text): recorded, not retried.
                (outcome, error) = ("refused", e.Message);
            }
            catch (Exception e) when (e is EmailUnavailableException or Integrations.Sms.SmsUnavailableException or Integrations.Push.PushUnavailableException)
            {
                (outcome, error) = ("failed", e.Message);
                throw;
            }
            finally
            {
                // Its own session: a failed attempt is recorded even though the handler's work is rolled back to be retried.
                await RecordAsync(store, envelope, notification, sender.Channel, outcome, error, time.GetUtcNow(), reference);
            }
        }
    }

    private static async Task RecordAsync(IDocumentStore store, Envelope envelope, Notification notification, string channel, string outcome, string? error,
        DateTimeOffset at, string? reference = null)
    {
        await using var record = store.LightweightSession();
        record.Store(new NotificationDelivery(Guid.CreateVersion7(), envelope.Id, notification.RecipientId, notification.Kind, channel, envelope.Attempts,
            outcome, error, at, string.IsNullOrEmpty(reference) ? null : reference));
        await record.SaveChangesAsync(CancellationToken.None);
    }
}
