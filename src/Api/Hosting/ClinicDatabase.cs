using JasperFx.Resources;

namespace EventSourcedClinic.Api.Hosting;

/// <summary>
/// Brings the database up to what this build expects: Marten's and Wolverine's tables with every area's own objects
/// (ADR 0012), then the identity schema (EF Core's migrations).
/// </summary>
public static class ClinicDatabase
{
    public static async Task MigrateAsync(IHost host, CancellationToken cancellation)
    {
        await host.SetupResources(cancellation);
        await PrepareAsync(host.Services, cancellation);
    }

    /// <summary>The identity schema, and the store's schema with every area's objects (outside production made on first use otherwise).</summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellation)
    {
        await Identity.IdentitySchema.EnsureAsync(services, cancellation);
        await services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }
}

/// <summary>The "Database" section of configuration.</summary>
public sealed class DatabaseSettings
{
    public const string Section = "Database";

    /// <summary>
    /// Outside production the host prepares its own database when it starts (Marten and Wolverine create their tables on
    /// demand); production runs the "migrate" command before it starts the API.
    /// </summary>
    public bool PrepareOnStart { get; set; }
}

public sealed class PrepareDatabaseOnStart(IServiceProvider services, Microsoft.Extensions.Options.IOptions<DatabaseSettings> settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Value.PrepareOnStart)
        {
            await ClinicDatabase.PrepareAsync(services, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
