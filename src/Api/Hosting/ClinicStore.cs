using EventSourcedClinic.Api.Clinical;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Api.Patients;
using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Api.Therapists;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using Weasel.Core;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Hosting;

public static class ClinicStore
{
    public const string ConnectionStringName = "Clinic";
    public const string Schema = "clinic";

    /// <summary>Marten as the event store and read-model store, in the schema "clinic", with Wolverine's outbox beside it.</summary>
    public static IServiceCollection AddClinicStore(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.");
        services.AddSingleton<MasterKey>();
        services.AddSingleton(sp => EventChain.CreateDataSource(connectionString, sp.GetRequiredService<MasterKey>()));
        services.AddSingleton<EventChain>();
        services.AddSingleton<ReplayVerification>();
        services.AddSingleton<PatientKeys>();

        services.AddMarten(sp => Options(sp, Schema, environment.IsProduction() ? AutoCreate.None : AutoCreate.CreateOrUpdate))
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .IntegrateWithWolverine();

        return services;
    }

    /// <summary>
    /// The store's configuration with its documents and events in <paramref name="schema"/>: "clinic" for the clinic, a
    /// scratch schema for a replay that is compared with it.
    /// </summary>
    public static StoreOptions Options(IServiceProvider services, string schema, AutoCreate autoCreate)
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

        options.ConfigureTherapists();
        options.ConfigurePatients();
        options.ConfigureScheduling();
        options.ConfigureClinical();
        options.ConfigureCompliance();
        return options;
    }
}
