using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// Gives the embedded authorization server its RSA keys: from configuration when set, otherwise generated once and
/// kept in the database so that every API node signs and validates with the same keys across restarts.
/// </summary>
public sealed class ServerKeys(IServiceScopeFactory scopes, IOptions<AuthSettings> settings, TimeProvider time)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        var signing = settings.Value.SigningKeyPem is { Length: > 0 } pem ? FromPem(pem) : LoadOrCreate("signing");
        var encryption = settings.Value.EncryptionKeyPem is { Length: > 0 } encryptionPem ? FromPem(encryptionPem) : LoadOrCreate("encryption");
        options.SigningCredentials.Add(new SigningCredentials(signing, SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(
            encryption, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }

    private RsaSecurityKey LoadOrCreate(string id)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicIdentityDb>();
        var stored = db.SigningKeys.Find(id);
        if (stored is null)
        {
            using var rsa = RSA.Create(2048);
            db.SigningKeys.Add(new SigningKey { Id = id, Pem = rsa.ExportPkcs8PrivateKeyPem(), CreatedAt = time.GetUtcNow() });
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                // Another node created it first: use theirs.
                db.ChangeTracker.Clear();
            }

            stored = db.SigningKeys.AsNoTracking().Single(k => k.Id == id);
        }

        var key = FromPem(stored.Pem);
        key.KeyId = $"{id}-{stored.CreatedAt.ToUnixTimeSeconds()}";
        return key;
    }

    private static RsaSecurityKey FromPem(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa);
    }
}
