using Hl7.Fhir.Model;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// The FHIR R4 edge at <c>/fhir</c> (ADR 0011): minimal API routes in the shape of the FHIR REST grammar, each resource
/// type mapped from read models and streams, every answer <c>application/fhir+json</c>, every error an OperationOutcome.
/// </summary>
public static class FhirApi
{
    public const string Policy = "fhir";

    private static readonly string[] Supported =
        ["Patient", "Appointment", "Observation", "ServiceRequest", "QuestionnaireResponse", "EpisodeOfCare", "Consent", "Communication", "Practitioner",
         "PractitionerRole", "HealthcareService", "Condition", "MedicationStatement", "AllergyIntolerance", "Schedule", "Slot", "AuditEvent", "Provenance", "Group", "metadata", "$export", "$export-status", "$export-file"];

    public static IServiceCollection AddClinicFhir(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireAuthenticatedUser());
        services.AddScoped<FhirCaller>();
        return services;
    }

    /// <summary>Errors under /fhir that no endpoint wrote (401, 403, 404, 405, 415) become OperationOutcomes.</summary>
    public static IApplicationBuilder UseFhirErrors(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/fhir"), fhir => fhir.Use(async (http, next) =>
        {
            await next(http);
            if (http.Response.StatusCode >= 400 && !http.Response.HasStarted && http.Response.ContentType is null)
            {
                var (code, detail) = http.Response.StatusCode switch
                {
                    401 => (OperationOutcome.IssueType.Login, "A bearer token is required (client credentials for a system; see /.well-known/smart-configuration)."),
                    403 => (OperationOutcome.IssueType.Forbidden, "This token does not allow that."),
                    404 => (OperationOutcome.IssueType.NotSupported, $"No such resource type or interaction: {http.Request.Path}."),
                    405 => (OperationOutcome.IssueType.NotSupported, $"{http.Request.Method} is not supported on {http.Request.Path}."),
                    _ => (OperationOutcome.IssueType.Exception, $"The request failed with status {http.Response.StatusCode}."),
                };
                http.Response.ContentType = FhirResponses.ContentType;
                await http.Response.WriteAsync(FhirResponses.Serialize(FhirResponses.OperationOutcome(code, detail)));
            }
        }));

    public static IEndpointRouteBuilder MapClinicFhir(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/smart-configuration", SmartConfiguration).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/fhir/.well-known/smart-configuration", SmartConfiguration).AllowAnonymous().ExcludeFromDescription();
        var fhir = app.MapGroup("/fhir").RequireAuthorization(Policy).ExcludeFromDescription();
        fhir.MapGet("/metadata", (HttpContext http) => FhirResponses.Resource(http, Capabilities(http))).AllowAnonymous();

        fhir.MapGet("/Patient", PatientResource.Search);
        fhir.MapGet("/Patient/{id}", (HttpContext http, string id, FhirCaller caller, Marten.IQuerySession session, CancellationToken c) =>
            PatientResource.Read(http, id, null, caller, session, c));
        fhir.MapGet("/Patient/{id}/_history/{vid:long}", PatientResource.Read);

        fhir.MapGet("/Appointment", AppointmentResource.Search);
        fhir.MapGet("/Appointment/{id}", (HttpContext http, string id, FhirCaller caller, Marten.IQuerySession session, CancellationToken c) =>
            AppointmentResource.Read(http, id, null, caller, session, c));
        fhir.MapGet("/Appointment/{id}/_history/{vid:long}", AppointmentResource.Read);

        fhir.MapGet("/Observation", ObservationResource.Search);
        fhir.MapGet("/Observation/{id}", ObservationResource.Read);
        // A score, and the answers behind it, never change once recorded: their history is one version.
        fhir.MapGet("/Observation/{id}/_history", (HttpContext http, string id, FhirCaller caller, Marten.IQuerySession session, CancellationToken c) =>
            ObservationResource.ReadMeasureAsync(http, "Observation", id, caller, session, FhirMapping.Observation, c, asHistory: true));
        fhir.MapGet("/QuestionnaireResponse/{id}/_history", (HttpContext http, string id, FhirCaller caller, Marten.IQuerySession session, CancellationToken c) =>
            ObservationResource.ReadMeasureAsync(http, "QuestionnaireResponse", id, caller, session, FhirMapping.QuestionnaireResponse, c, asHistory: true));
        fhir.MapGet("/Observation/{id}/_history/{vid:long}", (HttpContext http, string id, long vid, FhirCaller caller, Marten.IQuerySession session, CancellationToken c) =>
            vid == 1 ? ObservationResource.Read(http, id, caller, session, c) : System.Threading.Tasks.Task.FromResult(FhirResponses.NotFound("Observation", $"{id}/_history/{vid}")));

        fhir.MapGet("/ServiceRequest", CareResources.SearchServiceRequests);
        fhir.MapGet("/ServiceRequest/{id}", ServiceRequestResource.Read);
        fhir.MapPost("/ServiceRequest", ServiceRequestResource.Create);
        fhir.MapGet("/QuestionnaireResponse", CareResources.SearchQuestionnaireResponses);
        fhir.MapGet("/QuestionnaireResponse/{id}", QuestionnaireResponseResource.Read);
        fhir.MapGet("/Patient/{id}/$everything", CareResources.Everything);
        fhir.MapGet("/EpisodeOfCare", CareResources.SearchEpisodes);
        fhir.MapGet("/EpisodeOfCare/{id}", CareResources.ReadEpisode);
        fhir.MapGet("/Consent", CareResources.SearchConsents);
        fhir.MapGet("/Communication", CareResources.SearchCommunications);
        fhir.MapGet("/Communication/{id}", CareResources.ReadCommunication);
        fhir.MapGet("/Consent/{id}", CareResources.ReadConsent);
        fhir.MapGet("/Consent/{id}/_history", CareResources.ConsentHistory);
        fhir.MapGet("/Practitioner", DirectoryResources.SearchPractitioners);
        fhir.MapGet("/Practitioner/{id}", DirectoryResources.ReadPractitioner);
        fhir.MapGet("/PractitionerRole", DirectoryResources.SearchRoles);
        fhir.MapGet("/PractitionerRole/{id}", DirectoryResources.ReadRole);
        fhir.MapGet("/HealthcareService", DirectoryResources.SearchServices);
        fhir.MapGet("/HealthcareService/{id}", DirectoryResources.ReadService);
        HistoryResources.Map(fhir);
        foreach (var type in new[] { "Patient", "Appointment", "EpisodeOfCare", "ServiceRequest", "Practitioner", "PractitionerRole" })
        {
            fhir.MapGet($"/{type}/{{id}}/_history", (HttpContext http, string id, FhirCaller caller, Marten.IQuerySession session, CancellationToken c) =>
                InstanceHistory.Get(http, type, id, caller, session, c));
        }

        fhir.MapGet("/Schedule", ScheduleResources.SearchSchedules);
        fhir.MapGet("/Schedule/{id}", ScheduleResources.ReadSchedule);
        fhir.MapGet("/Slot", ScheduleResources.SearchSlots);
        fhir.MapGet("/AuditEvent", AuditResources.SearchAuditEvents);
        fhir.MapGet("/AuditEvent/{id}", AuditResources.ReadAuditEvent);
        fhir.MapGet("/Provenance", AuditResources.SearchProvenance);
        fhir.MapPost("/QuestionnaireResponse", QuestionnaireResponseResource.Create);
        fhir.MapPost("/", BundleEndpoint.Post);

        fhir.MapGet("/$export", BulkExport.KickOff);
        fhir.MapGet("/Group/{id}/$export", BulkExport.KickOffForGroup);
        fhir.MapGet("/$export-status/{id:guid}", BulkExport.Status);
        fhir.MapDelete("/$export-status/{id:guid}", BulkExport.Cancel);
        fhir.MapGet("/$export-file/{id:guid}/{file}", BulkExport.File);

        // Anything else: a known type with an interaction this server does not support is 405, an unknown type 404.
        fhir.Map("/{**rest}", (HttpContext http, string? rest) =>
        {
            var type = rest?.Split('/')[0] ?? "";
            return Supported.Contains(type) && !HttpMethods.IsGet(http.Request.Method)
                ? FhirResponses.Outcome(StatusCodes.Status405MethodNotAllowed, OperationOutcome.IssueType.NotSupported,
                    $"{http.Request.Method} /fhir/{rest} is not an interaction this server supports; see /fhir/metadata.")
                : FhirResponses.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                    Supported.Contains(type) ? $"Nothing at /fhir/{rest}." : $"'{type}' is not a resource type this server serves; see /fhir/metadata.");
        });
        return app;
    }

    private static IResult SmartConfiguration(HttpContext http)
    {
        var issuer = $"{http.Request.Scheme}://{http.Request.Host}";
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["token_endpoint"] = $"{issuer}/connect/token",
            ["jwks_uri"] = $"{issuer}/.well-known/jwks",
            ["grant_types_supported"] = new[] { "client_credentials", "authorization_code" },
            ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt", "client_secret_basic", "client_secret_post" },
            ["token_endpoint_auth_signing_alg_values_supported"] = new[] { "RS384", "ES384", "RS256" },
            ["scopes_supported"] = ClinicScopes.SystemScopes,
            ["capabilities"] = new[] { "client-confidential-asymmetric", "client-confidential-symmetric", "permission-v1" },
        });
    }

    private static CapabilityStatement.ResourceComponent Everything(CapabilityStatement.ResourceComponent patient)
    {
        patient.Operation.Add(new CapabilityStatement.OperationComponent
        {
            Name = "everything", Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything",
        });
        return patient;
    }

    /// <summary>What this server does, and only that.</summary>
    public static CapabilityStatement Capabilities(HttpContext http)
    {
        static CapabilityStatement.ResourceComponent Resource(string type, CapabilityStatement.TypeRestfulInteraction[] interactions, params (string Name, SearchParamType Type)[] search) => new()
        {
            Type = type,
            Interaction = interactions.Select(i => new CapabilityStatement.ResourceInteractionComponent { Code = i }).ToList(),
            Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
            ReadHistory = interactions.Contains(CapabilityStatement.TypeRestfulInteraction.Vread),
            SearchParam = search.Select(p => new CapabilityStatement.SearchParamComponent { Name = p.Name, Type = p.Type }).ToList(),
        };

        var read = CapabilityStatement.TypeRestfulInteraction.Read;
        var vread = CapabilityStatement.TypeRestfulInteraction.Vread;
        var searchType = CapabilityStatement.TypeRestfulInteraction.SearchType;
        var serviceRequest = Resource("ServiceRequest",
            [read, searchType, CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.HistoryInstance],
            ("patient", SearchParamType.Reference), ("status", SearchParamType.Token));
        serviceRequest.ConditionalCreate = true;
        return new CapabilityStatement
        {
            Id = "eventsourcedclinic",
            Status = PublicationStatus.Active,
            Date = "2026-11-27",
            Kind = CapabilityStatementKind.Instance,
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["application/fhir+json"],
            Software = new CapabilityStatement.SoftwareComponent { Name = "EventSourcedClinic" },
            Implementation = new CapabilityStatement.ImplementationComponent
            {
                Description = "EventSourcedClinic FHIR R4 edge", Url = $"{http.Request.Scheme}://{http.Request.Host}/fhir",
            },
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Security = new CapabilityStatement.SecurityComponent
                    {
                        Service = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
                        Description = "OAuth 2.0 bearer tokens; NHS systems use client credentials with system/<Type>.read scopes. " +
                                      "A system sees only patients whose consent to share with NHS Talking Therapies is in force.",
                    },
                    Operation =
                    [
                        new CapabilityStatement.OperationComponent
                        {
                            Name = "export", Definition = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                            Documentation = "System level and Group/" + BulkExport.AllConsentedGroup + "; _type, _since; NDJSON.",
                        },
                    ],
                    Resource =
                    [
                        Everything(Resource("Patient", [read, vread, searchType, CapabilityStatement.TypeRestfulInteraction.HistoryInstance],
                            ("identifier", SearchParamType.Token), ("name", SearchParamType.String), ("birthdate", SearchParamType.Date), ("_id", SearchParamType.Token))),
                        Resource("Appointment", [read, vread, searchType, CapabilityStatement.TypeRestfulInteraction.HistoryInstance],
                            ("patient", SearchParamType.Reference), ("practitioner", SearchParamType.Reference), ("date", SearchParamType.Date), ("status", SearchParamType.Token)),
                        Resource("Observation", [read, vread, searchType, CapabilityStatement.TypeRestfulInteraction.HistoryInstance],
                            ("patient", SearchParamType.Reference), ("subject", SearchParamType.Reference), ("code", SearchParamType.Token), ("date", SearchParamType.Date)),
                        serviceRequest,
                        Resource("QuestionnaireResponse",
                            [read, searchType, CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.HistoryInstance],
                            ("patient", SearchParamType.Reference), ("questionnaire", SearchParamType.Reference)),
                        Resource("EpisodeOfCare", [read, searchType, CapabilityStatement.TypeRestfulInteraction.HistoryInstance], ("patient", SearchParamType.Reference), ("status", SearchParamType.Token)),
                        Resource("Consent", [read, searchType, CapabilityStatement.TypeRestfulInteraction.HistoryInstance],
                            ("patient", SearchParamType.Reference), ("status", SearchParamType.Token), ("category", SearchParamType.Token)),
                        Resource("Communication", [read, searchType], ("patient", SearchParamType.Reference), ("status", SearchParamType.Token)),
                        Resource("Practitioner", [read, searchType, CapabilityStatement.TypeRestfulInteraction.HistoryInstance],
                            ("name", SearchParamType.String), ("identifier", SearchParamType.Token), ("_id", SearchParamType.Token)),
                        Resource("PractitionerRole", [read, searchType, CapabilityStatement.TypeRestfulInteraction.HistoryInstance],
                            ("specialty", SearchParamType.Token), ("language", SearchParamType.Token), ("practitioner", SearchParamType.Reference)),
                        Resource("HealthcareService", [read, searchType], ("_id", SearchParamType.Token), ("name", SearchParamType.String)),
                        Resource("Schedule", [read, searchType], ("actor", SearchParamType.Reference)),
                        Resource("AuditEvent", [read, searchType],
                            ("entity", SearchParamType.Reference), ("patient", SearchParamType.Reference), ("agent", SearchParamType.Reference), ("date", SearchParamType.Date)),
                        Resource("Provenance", [searchType], ("target", SearchParamType.Reference)),
                        Resource("Slot", [searchType], ("schedule", SearchParamType.Reference), ("status", SearchParamType.Token), ("start", SearchParamType.Date)),
                        .. HistoryResources.Types.Select(type => Resource(type,
                            [read, vread, searchType, CapabilityStatement.TypeRestfulInteraction.HistoryInstance], ("patient", SearchParamType.Reference))),
                    ],
                    Interaction =
                    [
                        new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction },
                        new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
                    ],
                },
            ],
        };
    }
}
