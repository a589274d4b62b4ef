using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using EventSourcedClinic.Api.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcedClinic.Api.Tests.Identity;

public class ExpiredTokenTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_token_signed_by_the_clinic_is_refused_once_it_has_expired()
    {
        // Re-sign a real token's claims with the clinic's own key, once as issued and once with its lifetime in the past.
        var real = new JwtSecurityTokenHandler().ReadJwtToken(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword));
        var key = await SigningKey();
        var now = app.Clock.GetUtcNow().UtcDateTime;

        var current = Sign(real, key, issuedAt: now.AddMinutes(-1), expires: now.AddMinutes(10));
        var expired = Sign(real, key, issuedAt: now.AddHours(-2), expires: now.AddHours(-1));

        (await app.As(current).GetAsync("/api/me", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await app.As(expired).GetAsync("/api/me", Cancel);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Scenarios.Problem(refused)).GetProperty("status").GetInt32().ShouldBe(401);
    }

    private async Task<RsaSecurityKey> SigningKey()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ClinicIdentityDb>().SigningKeys.SingleAsync(k => k.Id == "signing", Cancel);
        var rsa = RSA.Create();
        rsa.ImportFromPem(stored.Pem);
        return new RsaSecurityKey(rsa) { KeyId = $"signing-{stored.CreatedAt.ToUnixTimeSeconds()}" };
    }

    private static string Sign(JwtSecurityToken real, RsaSecurityKey key, DateTime issuedAt, DateTime expires)
    {
        var claims = real.Claims.Where(c => c.Type is not ("exp" or "iat" or "nbf")).GroupBy(c => c.Type)
            .ToDictionary(g => g.Key, g => g.Count() == 1 ? (object)g.Single().Value : g.Select(c => c.Value).ToArray());
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
