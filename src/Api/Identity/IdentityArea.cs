namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// Sign-in and tokens: ASP.NET Core Identity, the embedded OpenIddict server (or an external OpenID Connect authority),
/// and bearer-token validation.
/// </summary>
public sealed class IdentityArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddClinicIdentity(configuration, environment);
        services.AddScoped<AccountOpening>();
    }

    public override void ConfigureStore(StoreOptions options)
    {
        if (options.DatabaseSchemaName == ClinicSchema.Name)
        {
            AreaDatabaseObjects.Add(options, SmartClientAssertions.DatabaseObject);
        }
    }

    public override void Map(WebApplication app) => app.MapClinicIdentity(app.Configuration);
}
