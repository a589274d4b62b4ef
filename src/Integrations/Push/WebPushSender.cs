using System.Net;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;

namespace EventSourcedClinic.Integrations.Push;

/// <summary>The "Notifications:Push" section: the clinic's VAPID key pair, and which push services it will write to.</summary>
public sealed class PushSettings
{
    public const string Section = "Notifications:Push";

    /// <summary>The VAPID public key (an uncompressed P-256 point, base64url): browsers subscribe with it.</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>The VAPID private key (32 bytes, base64url). Never leaves the server.</summary>
    public string PrivateKey { get; set; } = "";

    /// <summary>Who push services contact about the clinic's messages: a mailto: or https: address.</summary>
    public string Subject { get; set; } = "mailto:support@eventsourcedclinic.example";

    /// <summary>
    /// The push services the clinic sends to, by host (a leading "*." for any subdomain): the browsers' own. A
    /// subscription elsewhere is refused, so the clinic never posts to an address a caller chose.
    /// </summary>
    public string[] AllowedHosts { get; set; } =
        ["fcm.googleapis.com", "updates.push.services.mozilla.com", "web.push.apple.com", "*.notify.windows.com", "*.push.apple.com"];

    /// <summary>Plain http to an allowed host: only for a local push service in development and tests.</summary>
    public bool AllowHttp { get; set; }

    public bool Configured => PublicKey.Length > 0 && PrivateKey.Length > 0;

    /// <summary>Whether the clinic will send to this subscription's endpoint.</summary>
    public bool Accepts(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
        && string.IsNullOrEmpty(uri.UserInfo) && AllowedHosts.Any(allowed => allowed.StartsWith("*.", StringComparison.Ordinal)
            ? uri.Host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(uri.Host, allowed, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The push service would not take the message now: try again later.</summary>
public sealed class PushUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public enum PushOutcome
{
    /// <summary>The push service took it (201).</summary>
    Accepted,

    /// <summary>The subscription has expired or been withdrawn (404, 410): forget the device.</summary>
    Gone,
}

/// <summary>
/// Web Push (RFC 8030) through Lib.Net.Http.WebPush: the payload encrypted for the device alone (RFC 8291, aes128gcm),
/// the request signed with the clinic's VAPID key (RFC 8292). The payload is a title and a line, never clinical content.
/// </summary>
public sealed class WebPushSender(PushSettings settings, HttpClient http)
{
    private readonly PushServiceClient _client = new(http)
    {
        DefaultAuthentication = settings.Configured ? new VapidAuthentication(settings.PublicKey, settings.PrivateKey) { Subject = settings.Subject } : null,
        DefaultTimeToLive = (int)TimeSpan.FromDays(1).TotalSeconds,
        DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
        AutoRetryAfter = false,
    };

    public bool Configured => settings.Configured;

    public async Task<PushOutcome> SendAsync(string endpoint, string p256dh, string auth, string payload, string topic, CancellationToken cancellation)
    {
        var subscription = new PushSubscription { Endpoint = endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, p256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, auth);
        try
        {
            await _client.RequestPushMessageDeliveryAsync(subscription, new PushMessage(payload) { Topic = topic, Urgency = PushMessageUrgency.Normal },
                cancellation);
            return PushOutcome.Accepted;
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return PushOutcome.Gone;
        }
        catch (Exception e) when (e is PushServiceClientException or HttpRequestException or TaskCanceledException)
        {
            throw new PushUnavailableException($"The push service did not take the message: {e.Message} {(e as PushServiceClientException)?.Body}", e);
        }
    }
}
