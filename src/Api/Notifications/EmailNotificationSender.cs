using EventSourcedClinic.Integrations.Email;
using Microsoft.AspNetCore.Identity;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>E-mail to the address the person signs in with, through the clinic's SMTP server (MailKit).</summary>
public sealed class EmailNotificationSender(SmtpMailer mailer, IServiceScopeFactory scopes) : INotificationSender
{
    public string Channel => "email";

    public async Task<string?> SendAsync(Notification notification, string language, CancellationToken cancellation)
    {
        using var scope = scopes.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByIdAsync(notification.RecipientId.ToString());
        if (user?.Email is not { Length: > 0 } address)
        {
            return null;
        }

        var text = $"{notification.Body}\n\n{NotificationText.Footer(language)}\n";
        await mailer.SendAsync(address, notification.Subject, text, language == "cy" ? "cy-GB" : "en-GB", cancellation);
        return "";
    }
}
