using System.Text.Json;
using EventSourcedClinic.Domain.Notifications;
using EventSourcedClinic.Integrations.Push;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>
/// Web Push to each browser or device the person subscribed (their subscriptions are kept encrypted under their key).
/// The payload is the notice's subject and a line, never clinical content. A subscription the push service says is gone
/// is forgotten; while a push service is away the attempt fails and is retried, unless another device took it.
/// </summary>
public sealed class PushNotificationSender(WebPushSender push, IDocumentStore store, TimeProvider time) : INotificationSender
{
    public string Channel => "push";

    public async Task<string?> SendAsync(Notification notification, string language, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var preferences = await session.LoadAsync<NotificationPreferences>(NotificationPreferences.StreamId(notification.RecipientId), cancellation);
        var devices = preferences?.PushDevices.Where(d => d.Endpoint.Value is not null).ToArray() ?? [];
        if (devices.Length == 0)
        {
            return null;
        }

        var payload = JsonSerializer.Serialize(new { title = notification.Subject, body = NotificationText.Footer(language), url = "/", kind = notification.Kind });
        var (accepted, gone, failure) = (0, new List<Guid>(), (PushUnavailableException?)null);
        foreach (var device in devices)
        {
            try
            {
                if (await push.SendAsync(device.Endpoint.Value!, device.P256dh.Value!, device.Auth.Value!, payload, Topic(notification.Kind), cancellation)
                    == PushOutcome.Gone)
                {
                    gone.Add(device.DeviceId);
                }
                else
                {
                    accepted++;
                }
            }
            catch (PushUnavailableException e)
            {
                failure = e;
            }
        }

        if (gone.Count > 0)
        {
            // Recorded through the write path, as the clinic's own work (the delivery's retries are its cause).
            AuditStamp.Apply(session, new Actor("clinic:push-delivery", "system", null, null), Guid.CreateVersion7().ToString(), $"notification {notification.Kind}");
            await session.AppendAsync<NotificationPreferences>(NotificationPreferences.StreamId(notification.RecipientId),
                current => PushDevices.Forget(current, notification.RecipientId, gone, time.GetUtcNow()), cancellation);
            await session.SaveChangesAsync(cancellation);
        }

        // Only when no device took it is the attempt failed (and retried): a retry would otherwise notify the others twice.
        return accepted > 0 ? $"{accepted} of {devices.Length} devices" : failure is not null ? throw failure : null;
    }

    /// <summary>A push service keeps only the newest message of a topic for an offline device: one per kind of notice.</summary>
    private static string Topic(string kind) => new([.. kind.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(32)]);
}
