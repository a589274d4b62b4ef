namespace EventSourcedClinic.Api.Notifications;

/// <summary>
/// A message to a person about their care, sent once the event that caused it has been committed (the outbox). It never
/// carries clinical content: "You have a new message from your therapist", not the message.
/// </summary>
/// <param name="Subject">The English subject; <see cref="NotificationText"/> gives it in the person's language.</param>
/// <param name="Body">The English text; <c>{when}</c> stands for <paramref name="At"/>, written as the person's language writes a time.</param>
public sealed record Notification(Guid RecipientId, string Kind, string Subject, string Body, DateTimeOffset? At = null)
{
    /// <summary>Useless later ("your therapist has let you in"): sent even in the person's quiet hours.</summary>
    public bool Urgent { get; init; }
}

/// <summary>The port through which the clinic tells people things; only the delivery handler uses it.</summary>
public interface INotificationSender
{
    /// <summary>The channel it sends on (email, log), for the delivery record.</summary>
    string Channel { get; }

    /// <summary>
    /// Sends it, already in the person's language, and answers the channel's reference for it (an SMS's id; empty when
    /// there is none), or null when the person has no address on this channel. A transient failure throws, to be retried.
    /// </summary>
    Task<string?> SendAsync(Notification notification, string language, CancellationToken cancellation);
}

/// <summary>The sender when no e-mail server is configured: writes the notification to the log (the recipient's id only).</summary>
public sealed class LogNotificationSender(ILogger<LogNotificationSender> logger) : INotificationSender
{
    public string Channel => "log";

    public Task<string?> SendAsync(Notification notification, string language, CancellationToken cancellation)
    {
        logger.LogInformation("Notification {Kind} to {RecipientId}: {Subject}", notification.Kind, notification.RecipientId, notification.Subject);
        return Task.FromResult<string?>("");
    }
}
