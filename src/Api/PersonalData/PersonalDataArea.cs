namespace EventSourcedClinic.Api.PersonalData;

/// <summary>Personal data encrypted under each patient's own key (ADR 0008), and erased by destroying it (ADR 0010).</summary>
public sealed class PersonalDataArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<EncryptionSettings>(configuration, EncryptionSettings.Section);
        services.AddSingleton<MasterKey>();
        services.AddSingleton<PatientKeys>();
        services.AddHostedService<PatientKeyListener>();
    }

    public override void ConfigureStore(StoreOptions options)
    {
        if (options.DatabaseSchemaName == ClinicSchema.Name)
        {
            AreaDatabaseObjects.Add(options, PatientKeys.DatabaseObject);
        }
    }

    public override ProblemDetails? Classify(Exception exception) => exception is PersonalDataErasedException
        ? Problems.Conflict("patient-erased", "This patient's personal data was erased; nothing new is recorded for them.")
        : null;
}
