using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Jwt.AccessToken;
using Twilio.Rest.Video.V1;

namespace EventSourcedClinic.Integrations.Video;

/// <summary>What a browser or the mobile app needs to join one room: scoped to it, valid only inside the join window.</summary>
/// <param name="Identity">Who the participant joins as: Twilio, their id (in the token); Janus, the publisher id to join with.</param>
/// <param name="Token">Twilio: an access token for the room. Janus: the room's PIN.</param>
/// <param name="ServerUrl">Where the client connects (Janus's HTTP API); none for Twilio, whose SDK knows.</param>
/// <param name="IceServers">TURN servers the client may relay through, with credentials that expire with the window (Janus; Twilio brings its own).</param>
public sealed record VideoAccess(
    string Provider, string Room, string Identity, string Token, DateTimeOffset NotBefore, DateTimeOffset ExpiresAt, string? ServerUrl = null,
    IceServer[]? IceServers = null);

/// <summary>One entry of RTCConfiguration.iceServers, as the browser takes it.</summary>
public sealed record IceServer(string[] Urls, string Username, string Credential);

/// <summary>The "Video:Turn" section: the TURN servers (coturn) and the secret shared with them.</summary>
public sealed class TurnSettings
{
    /// <summary>turn: addresses, e.g. "turn:turn.example.org:3478?transport=udp".</summary>
    public string[] Urls { get; set; } = [];

    /// <summary>coturn's static-auth-secret: credentials are derived from it, never stored.</summary>
    public string Secret { get; set; } = "";

    public bool Configured => Urls.Length > 0 && Secret.Length > 0;

    /// <summary>
    /// Credentials in the TURN REST API scheme coturn checks with use-auth-secret: the user name is the expiry (Unix
    /// seconds) and who it is for; the password is base64(HMAC-SHA1(secret, user name)). Useless after the expiry.
    /// </summary>
    public IceServer[]? For(string identity, DateTimeOffset expires)
    {
        if (!Configured)
        {
            return null;
        }

        var username = $"{expires.ToUnixTimeSeconds()}:{identity}";
        var credential = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes(username)));
        return [new IceServer(Urls, username, credential)];
    }
}

/// <summary>The port through which a session's video room is reached (ADR 0016): Twilio Video, or Janus (self-hosted).</summary>
public interface IVideoProvider
{
    string Name { get; }

    /// <summary>Grants one participant access to one room, from <paramref name="notBefore"/> until <paramref name="expires"/>.</summary>
    Task<VideoAccess> GrantAsync(string room, string identity, DateTimeOffset notBefore, DateTimeOffset expires, CancellationToken cancellation);

    /// <summary>Closes the room when its window has passed: nobody joins it again.</summary>
    Task CloseAsync(string room, CancellationToken cancellation);

    /// <summary>
    /// The identities in the room now, for a provider the clinic looks at (Janus); null for one that reports joins and
    /// leaves itself (Twilio's room status callbacks).
    /// </summary>
    Task<IReadOnlyCollection<string>?> ParticipantsAsync(string room, CancellationToken cancellation);

    /// <summary>
    /// Whether the clinic learns who is in a room (Janus, looked at; Twilio, only when its status callbacks are set up).
    /// Without it the clinic cannot tell who came, and decides nothing from the room about the session.
    /// </summary>
    bool ReportsPresence { get; }

    /// <summary>Whether this provider, as configured, can record a room (none does by default: ADR 0016).</summary>
    bool RecordingOffered { get; }

    /// <summary>Starts or stops recording the room.</summary>
    Task RecordAsync(string room, bool on, CancellationToken cancellation);
}

/// <summary>The video server did not answer, or refused: try again shortly.</summary>
public sealed class VideoUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The "Video:Twilio" section: an API key of the clinic's Twilio account (the secret never leaves the server).</summary>
public sealed class TwilioVideoSettings
{
    public string AccountSid { get; set; } = "";

    public string ApiKeySid { get; set; } = "";

    public string ApiKeySecret { get; set; } = "";

    /// <summary>The account's auth token: the clinic creates and ends rooms with it, and it signs the room status callbacks.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>The public address of /webhooks/twilio/video-status, as Twilio calls it (the signature covers it).</summary>
    public string? StatusCallbackUrl { get; set; }

    /// <summary>Empty for Twilio itself; the local fake's address for the demo and the tests.</summary>
    public string? ApiBase { get; set; }

    public bool Configured => AccountSid.Length > 0 && ApiKeySid.Length > 0 && ApiKeySecret.Length > 0;

    /// <summary>With the auth token the clinic creates each room itself, with its status callback, and ends it after the window.</summary>
    public bool ManagesRooms => AuthToken.Length > 0;
}

/// <summary>
/// Twilio Video: an access token (a JWT signed with the API key's secret, made offline by the Twilio SDK) whose
/// VideoGrant names one room; Twilio refuses it for any other room, before its not-before time and after it expires.
/// With the account's auth token, the clinic creates the room first (a group room whose status callback reports joins
/// and leaves) and ends it after the window, through the Twilio SDK's REST client.
/// </summary>
public sealed class TwilioVideoProvider(TwilioVideoSettings settings) : IVideoProvider
{
    private readonly Lazy<TwilioRestClient> _client = new(() => new TwilioRestClient(settings.AccountSid, settings.AuthToken,
        httpClient: new Twilio.Http.SystemNetHttpClient(new HttpClient(Sms.TwilioSms.Handler(settings.ApiBase)) { Timeout = TimeSpan.FromSeconds(15) })));

    public string Name => "twilio";

    public async Task<VideoAccess> GrantAsync(string room, string identity, DateTimeOffset notBefore, DateTimeOffset expires, CancellationToken cancellation)
    {
        if (settings.ManagesRooms)
        {
            await RestAsync(async () =>
            {
                try
                {
                    await RoomResource.CreateAsync(uniqueName: room, type: RoomResource.RoomTypeEnum.Group,
                        statusCallback: settings.StatusCallbackUrl is { Length: > 0 } url ? new Uri(url) : null, client: _client.Value);
                }
                catch (ApiException e) when (e.Code == 53113)
                {
                    // The room is there already: the other person, or this one again, asked first.
                }
            });
        }

        var token = new Token(settings.AccountSid, settings.ApiKeySid, settings.ApiKeySecret, identity, expires.UtcDateTime, notBefore.UtcDateTime,
            new HashSet<IGrant> { new VideoGrant { Room = room } });
        return new VideoAccess(Name, room, identity, token.ToJwt(), notBefore, expires);
    }

    /// <summary>The room is ended (whoever is in it is disconnected); without the auth token it ends by itself when empty.</summary>
    public Task CloseAsync(string room, CancellationToken cancellation) => !settings.ManagesRooms ? Task.CompletedTask : RestAsync(async () =>
    {
        try
        {
            await RoomResource.UpdateAsync(pathSid: room, status: RoomResource.RoomStatusEnum.Completed, client: _client.Value);
        }
        catch (ApiException e) when (e.Code == 20404)
        {
            // Never created, or gone already.
        }
    });

    private static async Task RestAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is ApiException or ApiConnectionException or HttpRequestException or TaskCanceledException)
        {
            throw new VideoUnavailableException($"Twilio Video did not answer: {e.Message}", e);
        }
    }

    public bool ReportsPresence => settings.ManagesRooms && !string.IsNullOrWhiteSpace(settings.StatusCallbackUrl);

    /// <summary>Recording with Twilio (its recording rules, and compositions kept at Twilio) is not offered: ADR 0016.</summary>
    public bool RecordingOffered => false;

    public Task RecordAsync(string room, bool on, CancellationToken cancellation) => throw new NotSupportedException("Twilio recordings are not offered.");

    /// <summary>Twilio reports joins and leaves through the room status callback.</summary>
    public Task<IReadOnlyCollection<string>?> ParticipantsAsync(string room, CancellationToken cancellation) => Task.FromResult<IReadOnlyCollection<string>?>(null);
}
