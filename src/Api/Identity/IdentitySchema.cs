using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// Brings the "identity" schema up to this build's EF Core migrations (Identity/Migrations) and registers the clinic's
/// own OAuth client, under one advisory lock so that several nodes starting at once do it once.
/// </summary>
public static class IdentitySchema
{
    private const long LockKey = 0x436C696E6963_01;

    public static async Task EnsureAsync(IServiceProvider services, CancellationToken cancellation)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using (var lockCommand = new NpgsqlCommand($"select pg_advisory_lock({LockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellation);
        }

        try
        {
            // EF reads its history table before creating it and logs that first read as a failed command; creating the
            // table (in EF's own shape) first keeps a fresh database's log free of false alarms.
            await using (var history = new NpgsqlCommand(
                "create schema if not exists identity; create table if not exists identity.__ef_migrations_history " +
                "(\"MigrationId\" varchar(150) primary key, \"ProductVersion\" varchar(32) not null)", connection))
            {
                await history.ExecuteNonQueryAsync(cancellation);
            }

            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ClinicIdentityDb>().Database.MigrateAsync(cancellation);
            await ClientRegistry.EnsureClinicAppAsync(scope.ServiceProvider, cancellation);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({LockKey})", connection);
            await unlock.ExecuteNonQueryAsync(cancellation);
        }
    }
}
