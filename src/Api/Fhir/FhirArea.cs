namespace EventSourcedClinic.Api.Fhir;

/// <summary>The FHIR R4 edge for NHS systems (ADR 0011): its own routes and OperationOutcome errors under /fhir.</summary>
public sealed class FhirArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) =>
        services.AddClinicFhir();

    public override void UseBeforeAuthentication(IApplicationBuilder app) => app.UseFhirErrors();

    public override void Map(WebApplication app) => app.MapClinicFhir();
}
