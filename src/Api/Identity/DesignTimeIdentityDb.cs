using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// Lets "dotnet ef migrations add" build the identity context without starting the host (and its database).
/// The connection string is never opened while writing a migration.
/// </summary>
public sealed class DesignTimeIdentityDb : IDesignTimeDbContextFactory<ClinicIdentityDb>
{
    public ClinicIdentityDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ClinicIdentityDb>();
        IdentityConfiguration.UseIdentityDatabase(options, "Host=127.0.0.1;Database=design_time");
        return new ClinicIdentityDb(options.Options);
    }
}
