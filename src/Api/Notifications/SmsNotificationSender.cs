using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Integrations.Sms;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>
/// A text message to the phone number a patient gave in their contact details (read from their encrypted record when
/// it is sent, never copied), through Twilio. Short: the subject and where to get help; never clinical content.
/// </summary>
public sealed class SmsNotificationSender(TwilioSms sms, IDocumentStore store) : INotificationSender
{
    public string Channel => "sms";

    public async Task<string?> SendAsync(Notification notification, string language, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var patient = await session.Events.AggregateStreamAsync<Patient>(notification.RecipientId, token: cancellation);
        if (TwilioSms.E164(patient?.Contact?.Phone?.Value) is not { } number)
        {
            return null;
        }

        var help = language == "cy" ? "Argyfwng: 999, 111 opsiwn 2, Samariaid 116 123." : "Crisis: 999, NHS 111 option 2, Samaritans 116 123.";
        return await sms.SendAsync(number, $"EventSourcedClinic: {notification.Subject}. {help}", cancellation);
    }
}
