using Twilio.Jwt.AccessToken;

namespace EventSourcedClinic.Integrations.Video;

/// <summary>What a browser or the mobile app needs to join one room: scoped to it, valid only inside the join window.</summary>
/// <param name="Token">Twilio: an access token for the room. Janus: the room's PIN.</param>
/// <param name="ServerUrl">Where the client connects (Janus's HTTP API); none for Twilio, whose SDK knows.</param>
public sealed record VideoAccess(
    string Provider, string Room, string Identity, string Token, DateTimeOffset NotBefore, DateTimeOffset ExpiresAt, string? ServerUrl = null);

/// <summary>The port through which a session's video room is reached (ADR 0016): Twilio Video, or Janus (self-hosted).</summary>
public interface IVideoProvider
{
    string Name { get; }

    /// <summary>Grants one participant access to one room, from <paramref name="notBefore"/> until <paramref name="expires"/>.</summary>
    Task<VideoAccess> GrantAsync(string room, string identity, DateTimeOffset notBefore, DateTimeOffset expires, CancellationToken cancellation);

    /// <summary>Closes the room when its window has passed: nobody joins it again.</summary>
    Task CloseAsync(string room, CancellationToken cancellation);
}

/// <summary>The video server did not answer, or refused: try again shortly.</summary>
public sealed class VideoUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The "Video:Twilio" section: an API key of the clinic's Twilio account (the secret never leaves the server).</summary>
public sealed class TwilioVideoSettings
{
    public string AccountSid { get; set; } = "";

    public string ApiKeySid { get; set; } = "";

    public string ApiKeySecret { get; set; } = "";

    public bool Configured => AccountSid.Length > 0 && ApiKeySid.Length > 0 && ApiKeySecret.Length > 0;
}

/// <summary>
/// Twilio Video: an access token (a JWT signed with the API key's secret, made offline by the Twilio SDK) whose
/// VideoGrant names one room; Twilio refuses it for any other room, before its not-before time and after it expires.
/// </summary>
public sealed class TwilioVideoProvider(TwilioVideoSettings settings) : IVideoProvider
{
    public string Name => "twilio";

    public Task<VideoAccess> GrantAsync(string room, string identity, DateTimeOffset notBefore, DateTimeOffset expires, CancellationToken cancellation)
    {
        var token = new Token(settings.AccountSid, settings.ApiKeySid, settings.ApiKeySecret, identity, expires.UtcDateTime, notBefore.UtcDateTime,
            new HashSet<IGrant> { new VideoGrant { Room = room } });
        return Task.FromResult(new VideoAccess(Name, room, identity, token.ToJwt(), notBefore, expires));
    }

    /// <summary>A Twilio room ends by itself when empty; the tokens expire with the window.</summary>
    public Task CloseAsync(string room, CancellationToken cancellation) => Task.CompletedTask;
}
