using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EventSourcedClinic.FakeTwilio;

/// <summary>Where the fake listens, the account it accepts, and how it reaches status-callback URLs.</summary>
public sealed class FakeTwilioOptions
{
    public string Urls { get; set; } = "http://127.0.0.1:12112";

    public string AccountSid { get; set; } = "AC00000000000000000000000000000000";

    /// <summary>The auth token: Basic auth with the account SID, and the key that signs status callbacks.</summary>
    public string AuthToken { get; set; } = "fake_twilio_auth_token";

    /// <summary>For a clinic hosted in the same process without a socket (tests): the transport to it.</summary>
    public HttpMessageHandler? CallbackHandler { get; set; }
}

/// <summary>
/// A fake of Twilio's Messages API (2010-04-01) and Video Rooms API (v1), on loopback: form-encoded <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>
/// with Basic auth, Twilio's JSON and error shapes (21211 for an invalid "To"; Twilio's magic test number +15005550001 is
/// one), and status callbacks (sent, then delivered) signed as Twilio signs them (<c>X-Twilio-Signature</c>: base64
/// HMAC-SHA1 of the URL followed by the sorted parameters, keyed by the auth token).
/// </summary>
public static class FakeTwilioServer
{
    public static WebApplication Build(FakeTwilioOptions options, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var messages = new ConcurrentQueue<JsonObject>();
        var callbacks = options.CallbackHandler is { } handler ? new HttpClient(handler) : new HttpClient();

        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (HttpContext http, string sid) =>
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{options.AuthToken}"));
            if (sid != options.AccountSid || http.Request.Headers.Authorization.ToString() != expected)
            {
                return Error(401, 20003, "Authenticate");
            }

            var form = await http.Request.ReadFormAsync();
            var to = form["To"].ToString();
            if (!System.Text.RegularExpressions.Regex.IsMatch(to, @"^\+[1-9]\d{7,14}$") || to == "+15005550001")
            {
                return Error(400, 21211, $"The 'To' number {to} is not a valid phone number.");
            }

            if (string.IsNullOrEmpty(form["Body"]))
            {
                return Error(400, 21602, "Message body is required.");
            }

            var message = new JsonObject
            {
                ["sid"] = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), ["account_sid"] = sid, ["to"] = to,
                ["from"] = form["From"].ToString() is { Length: > 0 } from ? from : null,
                ["messaging_service_sid"] = form["MessagingServiceSid"].ToString() is { Length: > 0 } service ? service : null,
                ["body"] = form["Body"].ToString(), ["status"] = "queued", ["num_segments"] = "1", ["direction"] = "outbound-api",
                ["api_version"] = "2010-04-01", ["date_created"] = DateTimeOffset.UtcNow.ToString("r"), ["uri"] = $"/2010-04-01/Accounts/{sid}/Messages.json",
            };
            messages.Enqueue(message);
            if (form["StatusCallback"].ToString() is { Length: > 0 } callback)
            {
                _ = ReportAsync(callbacks, callback, message, options.AuthToken);
            }

            return Results.Text(message.ToJsonString(), "application/json", Encoding.UTF8, 201);
        });
        app.MapGet("/_fake/messages", () => Results.Json(messages.ToArray()));
        MapVideoRooms(app, options, callbacks);
        return app;
    }

    private static IResult Error(int status, int code, string message) => Results.Text(new JsonObject
    {
        ["code"] = code, ["message"] = message, ["more_info"] = $"https://www.twilio.com/docs/errors/{code}", ["status"] = status,
    }.ToJsonString(), "application/json", Encoding.UTF8, status);

    /// <summary>
    /// Twilio Video's Rooms API (v1): <c>POST /v1/Rooms</c> creates a room by its UniqueName (53113 if one is in progress),
    /// <c>POST /v1/Rooms/{sid or name}</c> with Status=completed ends it. What Twilio's media servers would report is
    /// played by <c>POST /_fake/rooms/{name}/participants?identity=&amp;event=connected|disconnected</c>: the room's
    /// StatusCallback is called, signed.
    /// </summary>
    private static void MapVideoRooms(WebApplication app, FakeTwilioOptions options, HttpClient callbacks)
    {
        var rooms = new ConcurrentDictionary<string, JsonObject>();
        bool Authorized(HttpContext http) =>
            http.Request.Headers.Authorization.ToString() == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{options.AuthToken}"));

        app.MapPost("/v1/Rooms", async (HttpContext http) =>
        {
            if (!Authorized(http))
            {
                return Error(401, 20003, "Authenticate");
            }

            var form = await http.Request.ReadFormAsync();
            var name = form["UniqueName"].ToString();
            var room = new JsonObject
            {
                ["sid"] = "RM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), ["account_sid"] = options.AccountSid, ["unique_name"] = name,
                ["status"] = "in-progress", ["type"] = form["Type"].ToString() is { Length: > 0 } type ? type : "group",
                ["status_callback"] = form["StatusCallback"].ToString(), ["date_created"] = DateTimeOffset.UtcNow.ToString("o"),
            };
            return name.Length == 0 ? Error(400, 53100, "UniqueName is required.")
                : !rooms.TryAdd(name, room) && rooms[name]["status"]!.GetValue<string>() == "in-progress" ? Error(400, 53113, "Room exists")
                : Results.Text((rooms[name] = room).ToJsonString(), "application/json", Encoding.UTF8, 201);
        });
        app.MapPost("/v1/Rooms/{id}", async (HttpContext http, string id) =>
        {
            if (!Authorized(http))
            {
                return Error(401, 20003, "Authenticate");
            }

            var form = await http.Request.ReadFormAsync();
            if (rooms.Values.FirstOrDefault(r => r["sid"]!.GetValue<string>() == id || r["unique_name"]!.GetValue<string>() == id) is not { } room)
            {
                return Error(404, 20404, "The requested resource was not found");
            }

            room["status"] = form["Status"].ToString() == "completed" ? "completed" : room["status"]!.GetValue<string>();
            return Results.Text(room.ToJsonString(), "application/json", Encoding.UTF8, 200);
        });
        app.MapGet("/_fake/rooms", () => Results.Json(rooms.Values.ToArray()));
        app.MapPost("/_fake/rooms/{name}/participants", async (string name, string identity, string @event) =>
        {
            if (!rooms.TryGetValue(name, out var room) || room["status_callback"]?.GetValue<string>() is not { Length: > 0 } url)
            {
                return Results.NotFound();
            }

            var form = new Dictionary<string, string>
            {
                ["AccountSid"] = options.AccountSid, ["RoomSid"] = room["sid"]!.GetValue<string>(), ["RoomName"] = name, ["RoomStatus"] = "in-progress",
                ["RoomType"] = room["type"]!.GetValue<string>(), ["StatusCallbackEvent"] = $"participant-{@event}", ["ParticipantIdentity"] = identity,
                ["ParticipantSid"] = "PA" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name + identity)))[..32],
                ["ParticipantStatus"] = @event, ["Timestamp"] = DateTimeOffset.UtcNow.ToString("o"), ["SequenceNumber"] = "1",
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Twilio-Signature", Sign(url, form, options.AuthToken));
            using var response = await callbacks.SendAsync(request);
            return Results.StatusCode((int)response.StatusCode);
        });
    }

    /// <summary>Twilio reports each change of a message's status to its StatusCallback, signed.</summary>
    private static async Task ReportAsync(HttpClient http, string url, JsonObject message, string authToken)
    {
        foreach (var status in new[] { "sent", "delivered" })
        {
            var form = new Dictionary<string, string>
            {
                ["MessageSid"] = message["sid"]!.GetValue<string>(), ["MessageStatus"] = status, ["To"] = message["to"]!.GetValue<string>(),
                ["AccountSid"] = message["account_sid"]!.GetValue<string>(), ["ApiVersion"] = "2010-04-01",
            };
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
                    request.Headers.Add("X-Twilio-Signature", Sign(url, form, authToken));
                    using var response = await http.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(200 * attempt);
            }
        }
    }

    /// <summary>Twilio's request signature: base64(HMAC-SHA1(auth token, URL + each parameter's name and value, sorted by name)).</summary>
    public static string Sign(string url, IReadOnlyDictionary<string, string> form, string authToken)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}

/// <summary>A local Twilio for the demo: scripts/run starts it on loopback and points the clinic at it.</summary>
public static class FakeTwilioProgram
{
    public static Task Main(string[] args) => FakeTwilioServer.Build(new FakeTwilioOptions
    {
        Urls = Environment.GetEnvironmentVariable("FAKE_TWILIO_URLS") ?? "http://127.0.0.1:12112",
    }, args).RunAsync();
}
