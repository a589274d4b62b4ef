using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EventSourcedClinic.Api.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedClinic.Api.Tests.Push;

/// <summary>
/// Web Push end to end against a push service on loopback that does what a browser's does: it checks the clinic's
/// VAPID signature (RFC 8292), and only the device's own private key decrypts the message (RFC 8291, aes128gcm).
/// </summary>
public class WebPushTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_subscribed_browser_gets_an_encrypted_signed_notice_without_clinical_content_and_an_expired_one_is_forgotten()
    {
        using var vapid = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var vapidPublic = Uncompressed(vapid.ExportParameters(false));
        await using var pushService = await PushService.StartAsync(vapidPublic);
        await using var app = new ClinicApp(null, new Dictionary<string, string>
        {
            ["Notifications:Push:PublicKey"] = B64(vapidPublic), ["Notifications:Push:PrivateKey"] = B64(vapid.ExportParameters(true).D!),
            ["Notifications:Push:AllowHttp"] = "true", ["Notifications:Push:AllowedHosts:0"] = "127.0.0.1",
            ["Payments:Billing:NightlyReconciliation"] = "false",
        }, ownsDatabase: true);
        await app.InitializeAsync();
        (await app.Anonymous().GetFromJsonAsync<JsonObject>("/api/push/vapid-public-key", Cancel))!["publicKey"]!.GetValue<string>().ShouldBe(B64(vapidPublic));

        var patient = await PatientAccounts.Register(app);
        using var client = app.As(await app.PasswordToken(patient.Email, patient.Password));
        var laptop = new Device(pushService.Url + "/push/laptop");
        var oldPhone = new Device(pushService.Url + "/push/gone");

        // Only a push service the clinic trusts, and keys that are a browser's: anything else is a 400.
        foreach (var bad in new object[]
                 {
                     new { endpoint = "https://attacker.example/collect", keys = laptop.Keys }, new { endpoint = "http://169.254.169.254/latest", keys = laptop.Keys },
                     new { endpoint = laptop.Endpoint, keys = new { p256dh = "bm90LWEta2V5", auth = laptop.KeysTuple.auth } },
                     new { endpoint = laptop.Endpoint, keys = new { p256dh = laptop.KeysTuple.p256dh, auth = "short" } }, new { endpoint = laptop.Endpoint },
                 })
        {
            (await client.PostAsJsonAsync("/api/me/push-devices", bad, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        foreach (var device in new[] { laptop, oldPhone })
        {
            var added = await client.PostAsJsonAsync("/api/me/push-devices", new { endpoint = device.Endpoint, keys = device.Keys }, Cancel);
            added.StatusCode.ShouldBe(HttpStatusCode.OK, await added.Content.ReadAsStringAsync(Cancel));
        }

        // The same subscription again is the same device.
        (await client.PostAsJsonAsync("/api/me/push-devices", new { endpoint = laptop.Endpoint, keys = laptop.Keys }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetFromJsonAsync<PushDeviceView[]>("/api/me/push-devices", ClinicApp.Json, Cancel))!.Length.ShouldBe(2);
        (await client.PutAsJsonAsync("/api/me/notification-preferences", new { channels = new[] { "push" }, language = "en" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>()
                .PublishAsync(new Notification(patient.Id, "new-message", "You have a new message from your therapist", "Sign in to read it."));
        }

        await Payments.StripeScenarios.Eventually(async () =>
            (await client.GetFromJsonAsync<PushDeviceView[]>("/api/me/push-devices", ClinicApp.Json, Cancel))!.Length == 1, "the expired device was not forgotten");
        var received = pushService.Received.ShouldHaveSingleItem();
        received.Path.ShouldBe("/push/laptop");
        var notice = JsonNode.Parse(laptop.Decrypt(received.Body))!;
        notice["title"]!.GetValue<string>().ShouldBe("You have a new message from your therapist");
        notice.ToJsonString().ShouldNotContain("Sign in to read it.");
        notice["body"]!.GetValue<string>().ShouldContain("116 123");

        // An attacker with a copy of the database learns no device's address or keys.
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new Npgsql.NpgsqlCommand(
            $"select (select count(*) from clinic.mt_events where data::text like '%/push/laptop%' or data::text like '%{laptop.KeysTuple.auth}%') " +
            $"+ (select count(*) from clinic.mt_doc_notificationpreferences where data::text like '%/push/laptop%')", connection);
        (await command.ExecuteScalarAsync(Cancel)).ShouldBe(0L);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Unb64(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight((text.Length + 3) / 4 * 4, '='));

    private static byte[] Uncompressed(ECParameters key) => [0x04, .. key.Q.X!, .. key.Q.Y!];

    /// <summary>A browser's subscription: its push service address, its P-256 key pair and its auth secret.</summary>
    private sealed class Device(string endpoint)
    {
        private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        private readonly byte[] _auth = RandomNumberGenerator.GetBytes(16);

        public string Endpoint => endpoint;

        public (string p256dh, string auth) KeysTuple => (B64(Uncompressed(_key.ExportParameters(false))), B64(_auth));

        public object Keys => new { p256dh = KeysTuple.p256dh, auth = KeysTuple.auth };

        /// <summary>RFC 8291 with RFC 8188's aes128gcm: one record, keys from ECDH with the sender's key and the auth secret.</summary>
        public string Decrypt(byte[] body)
        {
            var salt = body[..16];
            BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4)).ShouldBeGreaterThan(18u);
            var senderPublic = body.AsSpan(21, body[20]).ToArray();
            var cipher = body[(21 + body[20])..];
            using var sender = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..65] },
            });
            var shared = _key.DeriveRawSecretAgreement(sender.PublicKey);
            var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, _auth, [.. "WebPush: info\0"u8, .. Uncompressed(_key.ExportParameters(false)), .. senderPublic]);
            var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
            var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());
            var plain = new byte[cipher.Length - 16];
            using var aes = new AesGcm(cek, 16);
            aes.Decrypt(nonce, cipher[..^16], cipher[^16..], plain);
            var end = Array.FindLastIndex(plain, b => b != 0);
            plain[end].ShouldBe((byte)2, "the last record's padding delimiter");
            return Encoding.UTF8.GetString(plain, 0, end);
        }
    }

    /// <summary>A push service on loopback: a VAPID-signed request for a known path is taken (201); /push/gone has expired (410).</summary>
    private sealed class PushService(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url => url;

        public ConcurrentQueue<(string Path, byte[] Body)> Received { get; } = new();

        public static async Task<PushService> StartAsync(byte[] vapidPublic)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            PushService? service = null;
            app.MapPost("/push/{device}", async (HttpContext http, string device) =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                // The audience is the push service's origin. Lib.Net.Http.WebPush leaves a non-default port out of it: real push
                // services are on 443, whose origin has none, so only this loopback service sees the difference.
                if (!SignedByClinic(http.Request.Headers.Authorization.ToString(), vapidPublic, $"{http.Request.Scheme}://{http.Request.Host.Host}"))
                {
                    return Results.Text($"Not the clinic's VAPID signature: {http.Request.Headers.Authorization}", statusCode: 403);
                }

                if (http.Request.Headers.ContentEncoding.ToString() != "aes128gcm" || !http.Request.Headers.ContainsKey("TTL"))
                {
                    return Results.Text($"Content-Encoding {http.Request.Headers.ContentEncoding}, TTL {http.Request.Headers["TTL"]}", statusCode: 400);
                }

                if (device == "gone")
                {
                    return Results.StatusCode(410);
                }

                service!.Received.Enqueue((http.Request.Path, body.ToArray()));
                return Results.StatusCode(201);
            });
            await app.StartAsync();
            service = new PushService(app, app.Urls.First());
            return service;
        }

        /// <summary>"vapid t=JWT, k=key": the key is the clinic's, the JWT is ES256-signed by it, for this origin, not expired.</summary>
        private static bool SignedByClinic(string authorization, byte[] vapidPublic, string origin)
        {
            var parts = authorization.StartsWith("vapid ", StringComparison.Ordinal)
                ? authorization[6..].Split(',').Select(p => p.Trim().Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
                : [];
            if (!parts.TryGetValue("t", out var jwt) || !parts.TryGetValue("k", out var k) || !Unb64(k).SequenceEqual(vapidPublic))
            {
                return false;
            }

            var pieces = jwt.Split('.');
            using var key = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = vapidPublic[1..33], Y = vapidPublic[33..65] },
            });
            var claims = JsonNode.Parse(Unb64(pieces[1]))!;
            return key.VerifyData(Encoding.ASCII.GetBytes($"{pieces[0]}.{pieces[1]}"), Unb64(pieces[2]), HashAlgorithmName.SHA256)
                   && claims["aud"]!.GetValue<string>() == origin && claims["exp"]!.GetValue<long>() > DateTimeOffset.UtcNow.ToUnixTimeSeconds()
                   && claims["sub"]!.GetValue<string>().StartsWith("mailto:", StringComparison.Ordinal);
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
