using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace EventSourcedClinic.Integrations.Email;

/// <summary>The "Notifications:Email" section: the SMTP server the clinic sends through, and who the mail is from.</summary>
public sealed class EmailSettings
{
    public const string Section = "Notifications:Email";

    /// <summary>Empty: no e-mail (notifications go to the log).</summary>
    public string SmtpHost { get; set; } = "";

    public int SmtpPort { get; set; } = 587;

    /// <summary>STARTTLS when the server offers it (a relay on the public network); loopback servers need none.</summary>
    public bool UseStartTls { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "EventSourcedClinic <no-reply@eventsourcedclinic.example>";

    /// <summary>How long one attempt may take before it counts as failed (and is retried).</summary>
    public int TimeoutSeconds { get; set; } = 15;
}

/// <summary>The SMTP server would not take the message now: try again later.</summary>
public sealed class EmailUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Sends plain-text e-mail through an SMTP server with MailKit.</summary>
public sealed class SmtpMailer(EmailSettings settings)
{
    public bool Configured => !string.IsNullOrWhiteSpace(settings.SmtpHost);

    public async Task SendAsync(string to, string subject, string text, string? language, CancellationToken cancellation)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        if (language is not null)
        {
            message.Headers.Add("Content-Language", language);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None,
                timeout.Token);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", timeout.Token);
            }

            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or SmtpCommandException or SmtpProtocolException
                                       or MailKit.ServiceNotConnectedException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new EmailUnavailableException($"The SMTP server {settings.SmtpHost}:{settings.SmtpPort} did not take the message: {e.Message}", e);
        }
    }
}
