using EventSourcedClinic.Integrations.Email;
using Wolverine;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>One attempt to deliver a notification: when, on which channel, and how it went (kept for the desk and the audit).</summary>
public sealed record NotificationDelivery(
    Guid Id, Guid NotificationId, Guid RecipientId, string Kind, string Channel, int Attempt, string Outcome, string? Error, DateTimeOffset At);

/// <summary>
/// Hands a notification to the sender once the event that caused it has been committed, and records each attempt. A
/// server that will not take it now fails the attempt, which is recorded and retried (the area's policy); the message
/// stays in the durable inbox until it is delivered or its retries are spent.
/// </summary>
public static class DeliverNotificationHandler
{
    public static async Task Handle(
        Notification notification, INotificationSender sender, IDocumentStore store, Envelope envelope, TimeProvider time, CancellationToken cancellation)
    {
        var (outcome, error) = ("delivered", (string?)null);
        try
        {
            if (!await sender.SendAsync(notification, cancellation))
            {
                outcome = "no-address";
            }
        }
        catch (EmailUnavailableException e)
        {
            (outcome, error) = ("failed", e.Message);
            throw;
        }
        finally
        {
            // Its own session: a failed attempt is recorded even though the handler's work is rolled back to be retried.
            await using var record = store.LightweightSession();
            record.Store(new NotificationDelivery(Guid.CreateVersion7(), envelope.Id, notification.RecipientId, notification.Kind, sender.Channel,
                envelope.Attempts, outcome, error, time.GetUtcNow()));
            await record.SaveChangesAsync(CancellationToken.None);
        }
    }
}
