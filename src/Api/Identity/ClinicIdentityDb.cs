using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// Users, roles and OpenIddict's applications, authorizations and tokens, in the schema "identity" of the
/// clinic's database. Events stay in Marten; this is the sign-in side only.
/// </summary>
public sealed class ClinicIdentityDb(DbContextOptions<ClinicIdentityDb> options)
    : IdentityDbContext<ClinicUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public const string Schema = "identity";

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        base.OnModelCreating(builder);
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        builder.Entity<SigningKey>(key =>
        {
            key.ToTable("signing_keys");
            key.HasKey(k => k.Id);
        });
    }
}

/// <summary>The embedded authorization server's RSA key, shared by every API node through the database.</summary>
public sealed class SigningKey
{
    public string Id { get; set; } = "";

    public string Pem { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
