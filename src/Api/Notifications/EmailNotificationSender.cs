using EventSourcedClinic.Integrations.Email;
using Microsoft.AspNetCore.Identity;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>E-mail to the address the person signs in with, through the clinic's SMTP server (MailKit).</summary>
public sealed class EmailNotificationSender(SmtpMailer mailer, IServiceScopeFactory scopes) : INotificationSender
{
    public string Channel => "email";

    public async Task<bool> SendAsync(Notification notification, CancellationToken cancellation)
    {
        using var scope = scopes.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByIdAsync(notification.RecipientId.ToString());
        if (user?.Email is not { Length: > 0 } address)
        {
            return false;
        }

        var text = $"""
            {notification.Body}

            Sign in to EventSourcedClinic to see more. This e-mail is sent by the clinic's system; replies are not read.
            If you are in crisis, call 999, or NHS 111 and choose option 2 for mental health, or Samaritans on 116 123.
            """;
        await mailer.SendAsync(address, notification.Subject, text, "en-GB", cancellation);
        return true;
    }
}
