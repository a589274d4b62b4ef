using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Api.PersonalData;
using JasperFx;
using JasperFx.Events;
using Weasel.Core;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Hosting;

public static class ClinicStore
{
    public const string ConnectionStringName = "Clinic";

    /// <summary>Marten as the event store and read-model store, in the schema "clinic", with Wolverine's outbox beside it.</summary>
    public static IServiceCollection AddClinicStore(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        services.AddSingleton(sp => EventChain.CreateDataSource(connectionString, sp.GetRequiredService<MasterKey>()));
        services.AddSingleton(sp => new StoreLayout((schema, autoCreate) => Options(sp, schema, autoCreate)));

        services.AddMarten(sp => Options(sp, ClinicSchema.Name, environment.IsProduction() ? AutoCreate.None : AutoCreate.CreateOrUpdate))
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .IntegrateWithWolverine();

        return services;
    }

    /// <summary>
    /// The store alone, without the web host, for tools such as the benchmarks: every area's store configuration, on the
    /// clinic's own connections.
    /// </summary>
    public static IServiceCollection AddStandaloneStore(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddSingleton(configuration).AddSingleton(TimeProvider.System).AddLogging();
        foreach (var area in ClinicAreas.All())
        {
            services.AddSingleton(area);
        }

        services.AddValidatedOptions<EncryptionSettings>(configuration, EncryptionSettings.Section);
        services.AddSingleton<MasterKey>().AddSingleton<PatientKeys>().AddSingleton<EventChain>();
        services.AddSingleton(sp => EventChain.CreateDataSource(connectionString, sp.GetRequiredService<MasterKey>()));
        services.AddSingleton<IDocumentStore>(sp =>
        {
            var options = Options(sp, ClinicSchema.Name, AutoCreate.CreateOrUpdate);
            options.Connection(sp.GetRequiredService<Npgsql.NpgsqlDataSource>());
            return new DocumentStore(options);
        });
        return services;
    }

    /// <summary>
    /// The store's configuration with its documents and events in <paramref name="schema"/>: "clinic" for the clinic, a
    /// scratch schema for a replay that is compared with it. Each registered area adds its own part.
    /// </summary>
    private static StoreOptions Options(IServiceProvider services, string schema, AutoCreate autoCreate)
    {
        var options = new StoreOptions();
        options.DatabaseSchemaName = schema;
        // Personal data is written encrypted under each patient's own key (ADR 0008).
        var keys = services.GetRequiredService<PatientKeys>();
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            configure: json => json.Converters.Add(new EncryptedPersonalTextConverter(keys)));
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Events.MetadataConfig.EnableAll();
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.TimeProvider = new EventClock(services.GetRequiredService<TimeProvider>());

        // Production applies schema changes with the "migrate" command; development and tests create them on demand.
        options.AutoCreateSchemaObjects = autoCreate;

        foreach (var area in services.GetServices<ClinicArea>())
        {
            area.ConfigureStore(options);
        }

        return options;
    }
}
