using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcedClinic.Api.Tests.Identity;

/// <summary>
/// SMART Backend Services style: an NHS system registered with its public key (no shared secret) gets a token by
/// signing a client assertion with its private key (private_key_jwt, RFC 7523).
/// </summary>
public class ClientAssertionTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static JsonElement Jwks(object key) => JsonSerializer.SerializeToElement(new { keys = new[] { key } });

    [Fact]
    public async Task a_system_registered_with_its_public_key_gets_a_token_with_a_signed_assertion_and_no_secret()
    {
        using var key = RSA.Create(2048);
        var clientId = $"iaptus-{Guid.NewGuid():N}"[..20];
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(includePrivateParameters: false)) { KeyId = "k1" });
        jwk.Use = "sig";
        // The admin registers the system by its public key; no secret is issued.
        using var admin = await app.AsAdmin();
        var registration = new { clientId, displayName = "NHS system with a key", scopes = new[] { "system/*.read" }, jwks = Jwks(new { kty = "RSA", use = "sig", kid = "k1", n = jwk.N, e = jwk.E }) };
        var registered = await admin.PostAsJsonAsync("/api/admin/system-clients", registration, Cancel);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync(Cancel));
        (await admin.PostAsJsonAsync("/api/admin/system-clients", registration, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.PostAsJsonAsync("/api/admin/system-clients", registration with { clientId = clientId + "-2", scopes = new[] { "system/*.write" } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var secret = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(includePrivateParameters: true)));
        (await admin.PostAsJsonAsync("/api/admin/system-clients",
                registration with { clientId = clientId + "-3", jwks = Jwks(new { kty = "RSA", n = secret.N, e = secret.E, d = secret.D, p = secret.P, q = secret.Q }) }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await (await app.AsCompliance()).PostAsJsonAsync("/api/admin/system-clients", registration with { clientId = clientId + "-4" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        string Assertion(RSA signer, string audience, string type = "client-authentication+jwt", bool withJti = true) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            Claims = withJti ? new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") } : new Dictionary<string, object> { ["sub"] = clientId },
            // The clinic's clock (three days ahead in tests) judges the assertion's lifetime.
            IssuedAt = app.Clock.GetUtcNow().UtcDateTime,
            NotBefore = app.Clock.GetUtcNow().UtcDateTime,
            Expires = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(4),
            TokenType = type,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signer) { KeyId = "k1" }, SecurityAlgorithms.RsaSha384),
        });
        Task<HttpResponseMessage> Request(string assertion) => app.RequestToken(
            ("grant_type", "client_credentials"), ("scope", "system/*.read"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion));

        var granted = await Request(Assertion(key, "http://localhost/"));
        var body = await granted.Content.ReadAsStringAsync(Cancel);
        granted.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var nhs = app.Anonymous();
        nhs.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString());
        (await nhs.GetAsync("/fhir/Patient?_count=1", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // SMART Backend Services' own profile: typed "JWT", addressed to the token endpoint. Each assertion serves once.
        var smart = Assertion(key, "http://localhost/connect/token", type: "JWT");
        var smartGranted = await Request(smart);
        smartGranted.StatusCode.ShouldBe(HttpStatusCode.OK, await smartGranted.Content.ReadAsStringAsync(Cancel));
        (await Request(smart)).IsSuccessStatusCode.ShouldBeFalse();
        (await Request(Assertion(key, "http://localhost/connect/token", type: "JWT", withJti: false))).IsSuccessStatusCode.ShouldBeFalse();
        (await Request(Assertion(key, "http://localhost/somewhere-else", type: "JWT"))).IsSuccessStatusCode.ShouldBeFalse();

        // Signed with another key, or without any assertion: no token.
        using var stranger = RSA.Create(2048);
        foreach (var refused in new[]
                 {
                     await Request(Assertion(stranger, "http://localhost/")),
                     await app.RequestToken(("grant_type", "client_credentials"), ("client_id", clientId), ("scope", "system/*.read")),
                 })
        {
            refused.IsSuccessStatusCode.ShouldBeFalse();
            JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("error").GetString().ShouldBeOneOf("invalid_client", "invalid_request");
        }

        var discovery = JsonDocument.Parse(await app.Anonymous().GetStringAsync("/.well-known/openid-configuration", Cancel)).RootElement;
        discovery.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(m => m.GetString()).ShouldContain("private_key_jwt");
    }
}
