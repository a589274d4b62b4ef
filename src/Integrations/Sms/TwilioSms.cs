using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace EventSourcedClinic.Integrations.Sms;

/// <summary>The "Notifications:Sms" section: the clinic's Twilio account and sender, and where Twilio reports delivery.</summary>
public sealed class SmsSettings
{
    public const string Section = "Notifications:Sms";

    public string AccountSid { get; set; } = "";

    /// <summary>The account's auth token: it authenticates the clinic to Twilio and signs Twilio's status callbacks.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>The sender: a Twilio number in E.164, or a Messaging Service SID ("MG...").</summary>
    public string From { get; set; } = "";

    /// <summary>The public address of /webhooks/twilio/sms-status, as Twilio calls it (the signature covers it).</summary>
    public string? StatusCallbackUrl { get; set; }

    /// <summary>Empty for Twilio itself; the local fake's address for the demo and the tests.</summary>
    public string? ApiBase { get; set; }

    public bool Configured => AccountSid.Length > 0 && AuthToken.Length > 0 && From.Length > 0;
}

/// <summary>Twilio will not text this number (not a valid or not a mobile number): recorded, never retried.</summary>
public sealed class RecipientRefusedException(string message, Exception inner) : Exception(message, inner);

/// <summary>Twilio would not take the message now: try again later.</summary>
public sealed class SmsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Text messages through Twilio's own SDK: real credentials reach Twilio, the fake's ApiBase reaches the fake (its
/// requests are redirected there, nothing else changes); status callbacks are checked with the SDK's RequestValidator.
/// </summary>
public sealed class TwilioSms(SmsSettings settings)
{
    private readonly Lazy<TwilioRestClient> _client = new(() => new TwilioRestClient(settings.AccountSid, settings.AuthToken,
        httpClient: new Twilio.Http.SystemNetHttpClient(new HttpClient(Handler(settings.ApiBase)) { Timeout = TimeSpan.FromSeconds(15) })));

    /// <summary>Twilio's own hosts, or every request of the SDK redirected to the local fake at <paramref name="apiBase"/>.</summary>
    public static HttpMessageHandler Handler(string? apiBase) =>
        string.IsNullOrWhiteSpace(apiBase) ? new HttpClientHandler() : new ToApiBase(new Uri(apiBase));

    public bool Configured => settings.Configured;

    /// <summary>Sends the text; answers Twilio's message SID. A number Twilio refuses is a <see cref="RecipientRefusedException"/>, not retried.</summary>
    public async Task<string> SendAsync(string toE164, string text, CancellationToken cancellation)
    {
        var options = new CreateMessageOptions(new PhoneNumber(toE164)) { Body = text };
        if (settings.From.StartsWith("MG", StringComparison.Ordinal))
        {
            options.MessagingServiceSid = settings.From;
        }
        else
        {
            options.From = new PhoneNumber(settings.From);
        }

        if (settings.StatusCallbackUrl is { Length: > 0 } callback)
        {
            options.StatusCallback = new Uri(callback);
        }

        try
        {
            return (await MessageResource.CreateAsync(options, _client.Value)).Sid;
        }
        catch (ApiException e) when (e.Code is 21211 or 21614 or 21610 or 21408)
        {
            // Invalid number, not a mobile, unsubscribed, or a region not enabled: this person cannot be texted.
            throw new RecipientRefusedException($"Twilio refused the number ({e.Code}): {e.Message}", e);
        }
        catch (Exception e) when (e is ApiException or ApiConnectionException or HttpRequestException or TaskCanceledException)
        {
            throw new SmsUnavailableException($"Twilio did not take the message: {e.Message}", e);
        }
    }

    /// <summary>Whether a status callback is Twilio's: its signature over the URL it was sent to and its form.</summary>
    public bool IsTwilios(string url, IDictionary<string, string> form, string signature) =>
        settings.AuthToken.Length > 0 && new Twilio.Security.RequestValidator(settings.AuthToken).Validate(url, form, signature);

    /// <summary>A UK number as the patient wrote it ("07700 900123") in E.164 ("+447700900123"); null when it is not one.</summary>
    public static string? E164(string? number)
    {
        var digits = new string((number ?? "").Where(c => char.IsDigit(c) || c == '+').ToArray());
        return digits switch
        {
            { Length: >= 11 } when digits.StartsWith("+", StringComparison.Ordinal) => digits,
            { Length: 11 } when digits.StartsWith('0') => "+44" + digits[1..],
            { Length: >= 12 } when digits.StartsWith("44", StringComparison.Ordinal) => "+" + digits,
            _ => null,
        };
    }

    /// <summary>Sends Twilio's requests to the local fake instead, path and all.</summary>
    private sealed class ToApiBase(Uri apiBase) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(apiBase, request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
