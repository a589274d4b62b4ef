namespace EventSourcedClinic.Api.Scheduling.Reminders;

/// <summary>A message to a person about their care: where e-mail and SMS adapters plug in (Integrations, later).</summary>
public sealed record Notification(Guid RecipientId, string Kind, string Subject, string Body);

/// <summary>The port through which the clinic tells people things.</summary>
public interface INotificationSender
{
    Task SendAsync(Notification notification, CancellationToken cancellation);
}

/// <summary>The default sender: writes the notification to the log (no personal data beyond the recipient's id).</summary>
public sealed class LogNotificationSender(ILogger<LogNotificationSender> logger) : INotificationSender
{
    public Task SendAsync(Notification notification, CancellationToken cancellation)
    {
        logger.LogInformation("Notification {Kind} to {RecipientId}: {Subject}", notification.Kind, notification.RecipientId, notification.Subject);
        return Task.CompletedTask;
    }
}
