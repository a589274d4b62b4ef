using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EventSourcedClinic.Integrations.Video;

/// <summary>The "Video:Janus" section: the Janus HTTP API as clients reach it, and the VideoRoom plugin's admin key.</summary>
public sealed class JanusVideoSettings
{
    /// <summary>Janus's HTTP API (base path /janus), as both the clinic and the participants' browsers reach it.</summary>
    public string Url { get; set; } = "";

    /// <summary>The VideoRoom plugin's admin_key: only who holds it creates rooms. Never sent to a client.</summary>
    public string AdminKey { get; set; } = "";

    /// <summary>
    /// Where Janus writes recordings (on the Janus host, an encrypted volume): empty, as by default, and no session is
    /// ever recorded (ADR 0016).
    /// </summary>
    public string RecordingsFolder { get; set; } = "";

    public bool Configured => Url.Length > 0 && AdminKey.Length > 0;
}

/// <summary>
/// Janus (self-hosted, the VideoRoom plugin) through its HTTP API: the clinic creates each session's room (private, two
/// publishers, a PIN and a secret derived from the room's name with the admin key, so they are never stored), gives the
/// two people the PIN inside the join window, and destroys the room when the window closes. Janus's admin API is never
/// used or exposed.
/// </summary>
public sealed class JanusVideoProvider(JanusVideoSettings settings, HttpClient http, TurnSettings? turn = null) : IVideoProvider
{
    public string Name => "janus";

    public bool ReportsPresence => true;

    public async Task<VideoAccess> GrantAsync(string room, string identity, DateTimeOffset notBefore, DateTimeOffset expires, CancellationToken cancellation)
    {
        var create = new JsonObject
        {
            ["request"] = "create", ["room"] = room, ["admin_key"] = settings.AdminKey, ["secret"] = Derived("secret", room), ["pin"] = Pin(room),
            ["is_private"] = true, ["publishers"] = 2, ["description"] = "A therapy session", ["permanent"] = false, ["record"] = false,
        };
        if (RecordingOffered)
        {
            create["rec_dir"] = settings.RecordingsFolder;
        }

        var created = await RequestAsync(create, cancellation);
        // 427: the room exists already (the other person, or this one again, asked first).
        if (created["videoroom"]?.GetValue<string>() != "created" && created["error_code"]?.GetValue<int>() != 427)
        {
            throw new VideoUnavailableException($"Janus did not create the room: {created["error"]?.GetValue<string>() ?? created.ToJsonString()}");
        }

        // A new join replaces an old connection of the same person (a closed tab Janus has not noticed yet, another
        // device): their id is let go, so the room does not refuse them as already there. Nobody else is touched.
        var kicked = await RequestAsync(new JsonObject
        {
            ["request"] = "kick", ["room"] = room, ["secret"] = Derived("secret", room), ["id"] = SignedId(room, identity),
        }, cancellation);
        if (kicked["videoroom"]?.GetValue<string>() != "success" && kicked["error_code"]?.GetValue<int>() is not (428 or 426))
        {
            throw new VideoUnavailableException($"Janus did not let the earlier connection go: {kicked.ToJsonString()}");
        }

        // TURN for clients behind NATs, with credentials that expire with the window.
        return new VideoAccess(Name, room, SignedId(room, identity), Pin(room), notBefore, expires, settings.Url, turn?.For(identity, expires));
    }

    public bool RecordingOffered => settings.RecordingsFolder.Length > 0;

    /// <summary>Janus records each publisher's media into the room's folder (.mjr files) from now until told to stop.</summary>
    public async Task RecordAsync(string room, bool on, CancellationToken cancellation)
    {
        var answer = await RequestAsync(new JsonObject
        {
            ["request"] = "enable_recording", ["room"] = room, ["secret"] = Derived("secret", room), ["record"] = on,
        }, cancellation);
        if (answer["videoroom"]?.GetValue<string>() != "success" && !(answer["error_code"]?.GetValue<int>() == 426 && !on))
        {
            throw new VideoUnavailableException($"Janus did not {(on ? "start" : "stop")} recording: {answer.ToJsonString()}");
        }
    }

    /// <summary>
    /// The room's publishers, as Janus lists them: each joined with the id the clinic gave them (their identity and a
    /// MAC of it with the admin key), so an id the clinic did not give is no one's. A room not there (not yet made, or
    /// destroyed) has nobody in it.
    /// </summary>
    public async Task<IReadOnlyCollection<string>?> ParticipantsAsync(string room, CancellationToken cancellation)
    {
        var listed = await RequestAsync(new JsonObject { ["request"] = "listparticipants", ["room"] = room }, cancellation);
        if (listed["error_code"]?.GetValue<int>() == 426)
        {
            return [];
        }

        if (listed["participants"] is not JsonArray participants)
        {
            throw new VideoUnavailableException($"Janus did not list the room: {listed.ToJsonString()}");
        }

        return
        [
            .. participants.Select(p => p?["id"]?.GetValue<string>()).OfType<string>()
                .Select(id => id.Split('.') is [var identity, _] && id == SignedId(room, identity) ? identity : null).OfType<string>().Distinct(),
        ];
    }

    public async Task CloseAsync(string room, CancellationToken cancellation)
    {
        var destroyed = await RequestAsync(new JsonObject { ["request"] = "destroy", ["room"] = room, ["secret"] = Derived("secret", room) }, cancellation);
        if (destroyed["videoroom"]?.GetValue<string>() != "destroyed" && destroyed["error_code"]?.GetValue<int>() != 426)
        {
            throw new VideoUnavailableException($"Janus did not destroy the room: {destroyed.ToJsonString()}");
        }
    }

    /// <summary>The id a participant joins the room as: theirs alone, checked when the room's people are listed.</summary>
    private string SignedId(string room, string identity) => $"{identity}.{Derived("id", $"{room}/{identity}")[..20]}";

    /// <summary>The room's PIN: the same for both people and every asking, unguessable without the admin key.</summary>
    private string Pin(string room) => Derived("pin", room)[..12];

    private string Derived(string purpose, string room) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(settings.AdminKey), Encoding.UTF8.GetBytes($"{purpose}:{room}")));

    /// <summary>One synchronous VideoRoom request: a Janus session and a handle for it, then both let go.</summary>
    private async Task<JsonObject> RequestAsync(JsonObject body, CancellationToken cancellation)
    {
        try
        {
            var session = (await PostAsync(settings.Url, new JsonObject { ["janus"] = "create" }, cancellation))["data"]!["id"]!.GetValue<long>();
            try
            {
                var handle = (await PostAsync($"{settings.Url}/{session}", new JsonObject { ["janus"] = "attach", ["plugin"] = "janus.plugin.videoroom" },
                    cancellation))["data"]!["id"]!.GetValue<long>();
                var answer = await PostAsync($"{settings.Url}/{session}/{handle}", new JsonObject { ["janus"] = "message", ["body"] = body }, cancellation);
                return answer["plugindata"]?["data"]?.AsObject() ?? throw new VideoUnavailableException($"Janus answered {answer.ToJsonString()}");
            }
            finally
            {
                await PostAsync($"{settings.Url}/{session}", new JsonObject { ["janus"] = "destroy" }, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or NullReferenceException or InvalidOperationException)
        {
            throw new VideoUnavailableException($"Janus could not be reached at {settings.Url}: {e.Message}", e);
        }
    }

    private async Task<JsonObject> PostAsync(string url, JsonObject request, CancellationToken cancellation)
    {
        request["transaction"] = Guid.NewGuid().ToString("N");
        using var response = await http.PostAsJsonAsync(url, request, cancellation);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellation))!;
    }
}
