using EventSourcedClinic.Api.Identity;
using JasperFx.Events;
using JasperFx.Resources;
using Marten;

namespace EventSourcedClinic.Api.Hosting;

/// <summary>Brings the database up to what this build expects: Marten's and Wolverine's tables, then the identity schema.</summary>
public static class ClinicDatabase
{
    public static async Task MigrateAsync(IHost host, CancellationToken cancellation)
    {
        await host.SetupResources(cancellation);
        await PrepareIdentityAsync(host.Services, cancellation);
    }

    /// <summary>The identity schema and the clinic's own tables beside Marten's: slot claims, patient keys, the event chain.</summary>
    public static async Task PrepareIdentityAsync(IServiceProvider services, CancellationToken cancellation)
    {
        await IdentitySchema.EnsureAsync(services, cancellation);
        await using (var jtis = services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(SmartClientAssertions.Schema))
        {
            await jtis.ExecuteNonQueryAsync(cancellation);
        }
        // The event chain's trigger hangs on Marten's event table, which outside production is otherwise made on first use.
        await services.GetRequiredService<IDocumentStore>().Storage.Database.EnsureStorageExistsAsync(typeof(IEvent), cancellation);
        var dataSource = services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await Scheduling.Configuration.EnsureSchemaAsync(dataSource, cancellation);
        await using var own = dataSource.CreateCommand(
            $"create schema if not exists clinic; {PersonalData.PatientKeys.Schema} {Compliance.EventChain.Schema}");
        await own.ExecuteNonQueryAsync(cancellation);
    }
}

/// <summary>
/// Outside production the host prepares its own database when it starts (Marten and Wolverine create their tables
/// on demand); production runs the "migrate" command before it starts the API.
/// </summary>
public sealed class PrepareDatabaseOnStart(IServiceProvider services, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Database:PrepareOnStart", false))
        {
            await ClinicDatabase.PrepareIdentityAsync(services, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
