using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using Wolverine;

namespace EventSourcedClinic.Api.Hosting;

public static class ClinicHosting
{
    /// <summary>
    /// The clinic: its store, messaging and HTTP surface, and each area in <paramref name="areas"/> registering itself
    /// (ADR 0012). The host knows nothing of an area's insides.
    /// </summary>
    public static WebApplicationBuilder AddClinic(this WebApplicationBuilder builder, params ClinicArea[] areas)
    {
        builder.AddClinicLogging();
        foreach (var area in areas)
        {
            builder.Services.AddSingleton(area);
            area.AddServices(builder.Services, builder.Configuration, builder.Environment);
        }

        builder.Services.AddSingleton<PatientStreamRegistry>();
        builder.Services.AddSingleton<ProblemClassifier>();
        builder.Services.AddClinicStore(builder.Configuration, builder.Environment);
        builder.AddClinicMessaging(areas);
        builder.Services.AddClinicHttp(builder.Configuration);
        return builder;
    }

    /// <summary>JSON logs with scopes, so every line of a request carries its correlation id.</summary>
    private static WebApplicationBuilder AddClinicLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (builder.Configuration.GetValue("Logging:Json", true))
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                options.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(options => options.IncludeScopes = true);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Wolverine: handlers, durable local queues and the transactional outbox on Marten.</summary>
    private static WebApplicationBuilder AddClinicMessaging(this WebApplicationBuilder builder, ClinicArea[] areas)
    {
        builder.Services.CritterStackDefaults(defaults =>
        {
            // The content root is the output folder (appsettings live there); "codegen write" still writes into the project.
            defaults.AutoResolveProjectRoot = true;
            defaults.Production.GeneratedCodeMode = TypeLoadMode.Static;
            defaults.Production.ResourceAutoCreate = AutoCreate.None;
            defaults.Development.GeneratedCodeMode = TypeLoadMode.Dynamic;
            defaults.Development.ResourceAutoCreate = AutoCreate.CreateOrUpdate;
        });

        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(Program).Assembly;
            options.Policies.AutoApplyTransactions();
            options.Policies.UseDurableLocalQueues();

            options.Durability.Mode = (builder.Configuration.GetSection(MessagingSettings.Section).Get<MessagingSettings>() ?? new()).Durability;
            options.UseRuntimeCompilation();

            // Registered by EF Core and ASP.NET Core Identity through factories that generated code cannot inline.
            options.CodeGeneration.AlwaysUseServiceLocationFor<ClinicIdentityDb>();
            options.CodeGeneration.AlwaysUseServiceLocationFor<Microsoft.AspNetCore.Identity.UserManager<ClinicUser>>();
            options.CodeGeneration.AlwaysUseServiceLocationFor<OpenIddict.Abstractions.IOpenIddictApplicationManager>();

            // Opens a child scope of its own on purpose (see AccountOpening).
            options.CodeGeneration.AlwaysUseServiceLocationFor<AccountOpening>();

            foreach (var area in areas)
            {
                area.ConfigureMessaging(options);
            }
        });
        return builder;
    }

    private static IServiceCollection AddClinicHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DatabaseSettings>(configuration, DatabaseSettings.Section);
        services.AddValidatedOptions<MessagingSettings>(configuration, MessagingSettings.Section);
        services.AddValidatedOptions<HostingSettings>(configuration, HostingSettings.Section);
        services.AddWolverineHttp();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
        services.AddHttpContextAccessor();
        services.AddSingleton<PatientAccess>();
        services.AddSingleton<AccessLog>();
        services.AddHostedService<PrepareDatabaseOnStart>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["correlationId"] = CorrelationIds.For(context.HttpContext));
        services.AddExceptionHandler<ClinicExceptionHandler>();
        services.ConfigureHttpJsonOptions(options => ClinicJson.Configure(options.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(options => ClinicJson.Configure(options.JsonSerializerOptions));
        services.AddHealthChecks().AddCheck<PostgresHealth>("postgres", tags: ["ready"]);

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "EventSourcedClinic API",
                Version = "v1",
                Description = "An online mental-health clinic on an event-sourced core. Get a token at /connect/token, then Authorize.",
            });
            swagger.CustomSchemaIds(type => type.FullName!.Replace("EventSourcedClinic.", "").Replace('+', '.'));
            swagger.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from the clinic's /connect/token (or the configured OpenID Connect authority).",
            });
            swagger.AddSecurityDefinition("oauth2", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "Sign in on the clinic's own page (authorization code with PKCE, client 'clinic-app').",
                Flows = new OpenApiOAuthFlows
                {
                    AuthorizationCode = new OpenApiOAuthFlow
                    {
                        AuthorizationUrl = new Uri("/connect/authorize", UriKind.Relative),
                        TokenUrl = new Uri("/connect/token", UriKind.Relative),
                        Scopes = new Dictionary<string, string> { [ClinicScopes.Api] = "The clinic's API" },
                    },
                },
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("bearer", document)] = [],
                [new OpenApiSecuritySchemeReference("oauth2", document)] = [ClinicScopes.Api],
            });
        });
        return services;
    }

    public static WebApplication UseClinic(this WebApplication app)
    {
        var areas = app.Services.GetServices<ClinicArea>().ToArray();
        // Behind a TLS-terminating load balancer, trust its X-Forwarded-For/-Proto so that tokens name the public https URL.
        var proxies = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostingSettings>>().Value.TrustedProxies;
        if (proxies.Length > 0)
        {
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            };
            forwarded.KnownProxies.Clear();
            foreach (var proxy in proxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.UseCorrelationIds();
        app.UseExceptionHandler();
        app.UseRequestLimits();
        app.UseStatusCodePages();
        foreach (var area in areas)
        {
            area.UseBeforeAuthentication(app);
        }

        // The API's description is public: served before authentication, whose fallback policy covers everything after it.
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/swagger/v1/swagger.json", "EventSourcedClinic API v1");
            ui.OAuthClientId(ClientRegistry.ClinicApp);
            ui.OAuthScopes(ClinicScopes.Api);
            ui.OAuthUsePkce();
        });

        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        foreach (var area in areas)
        {
            area.Map(app);
        }

        app.MapWolverineEndpoints(options =>
        {
            options.RequireAuthorizeOnAll();
            options.RejectUnparseableQueryValues = true;
            options.AddMiddleware(typeof(AuditStamp), WritesEvents);
        });
        return app;
    }

    // Endpoints that write through Wolverine's session get the audit stamp; those that open their own call it themselves.
    private static bool WritesEvents(HttpChain chain) =>
        chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(IDocumentSession));
}
