using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// Creates the "identity" schema's tables when they are missing. EF's EnsureCreated does nothing in a database that
/// already holds any table (Marten's), so this checks for the schema's own table, under an advisory lock so that
/// several nodes starting at once create it once.
/// </summary>
public static class IdentitySchema
{
    private const long LockKey = 0x436C696E6963_01;

    public static async Task EnsureAsync(IServiceProvider services, CancellationToken cancellation)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicIdentityDb>();
        var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using (var lockCommand = new NpgsqlCommand($"select pg_advisory_lock({LockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellation);
        }

        try
        {
            await using var exists = new NpgsqlCommand(
                "select to_regclass('identity.\"OpenIddictApplications\"') is not null", connection);
            if (await exists.ExecuteScalarAsync(cancellation) is true)
            {
                return;
            }

            db.Database.SetDbConnection(connection);
            await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellation);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({LockKey})", connection);
            await unlock.ExecuteNonQueryAsync(cancellation);
        }
    }
}
