using EventSourcedClinic.Domain.Notifications;
using EventSourcedClinic.Integrations.Email;
using EventSourcedClinic.Integrations.Push;
using EventSourcedClinic.Integrations.Sms;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;
using Microsoft.Extensions.Options;
using Wolverine.ErrorHandling;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>
/// Notifications: one way for every area to tell a person something, sent after the causing event commits, retried
/// while the mail server is away, each attempt recorded. E-mail through SMTP when configured, else the log.
/// </summary>
public sealed class NotificationsArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<EmailSettings>(configuration, EmailSettings.Section);
        services.AddSingleton(sp => new SmtpMailer(sp.GetRequiredService<IOptions<EmailSettings>>().Value));
        services.AddSingleton<INotificationSender>(sp => sp.GetRequiredService<SmtpMailer>().Configured
            ? ActivatorUtilities.CreateInstance<EmailNotificationSender>(sp)
            : ActivatorUtilities.CreateInstance<LogNotificationSender>(sp));

        // Text messages when a Twilio account is configured: a second channel a person may choose.
        services.AddValidatedOptions<SmsSettings>(configuration, SmsSettings.Section);
        services.AddSingleton(sp => new TwilioSms(sp.GetRequiredService<IOptions<SmsSettings>>().Value));
        if (configuration.GetSection(SmsSettings.Section).Get<SmsSettings>() is { Configured: true })
        {
            services.AddSingleton<INotificationSender, SmsNotificationSender>();
        }

        // Web Push when the clinic has a VAPID key pair: a third channel, to the browsers a person subscribed.
        services.AddValidatedOptions<PushSettings>(configuration, PushSettings.Section);
        services.AddHttpClient(nameof(WebPushSender), client => client.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton(sp => new WebPushSender(sp.GetRequiredService<IOptions<PushSettings>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WebPushSender))));
        if (configuration.GetSection(PushSettings.Section).Get<PushSettings>() is { Configured: true })
        {
            services.AddSingleton<INotificationSender, PushNotificationSender>();
        }
    }

    /// <summary>The mail server away: tried again soon, then later, for about a day; never lost.</summary>
    public override void ConfigureMessaging(Wolverine.WolverineOptions options) =>
        options.Policies.OnException<EmailUnavailableException>().Or<SmsUnavailableException>().Or<PushUnavailableException>()
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromHours(24));

    public override void ConfigureStore(StoreOptions options)
    {
        options.Schema.For<NotificationDelivery>().Index(x => x.RecipientId).Index(x => x.NotificationId).Index(x => x.Reference!);
        options.Projections.Add(new StreamFold<NotificationPreferences>(), ProjectionLifecycle.Inline);
    }

    /// <summary>A patient's choices are theirs: in their export, and gone with their erasure.</summary>
    public override IEnumerable<PatientStreamKind> PatientStreams => [PatientStreamKind.Named(RecordTypes.NotificationPreferences, NotificationPreferences.StreamId)];
}
