using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;

namespace EventSourcedClinic.Api.Identity;

public static class IdentityConfiguration
{
    /// <summary>
    /// Users and passwords (ASP.NET Core Identity), the embedded OpenIddict server when no external authority is set,
    /// and bearer-token validation against whichever issues the tokens.
    /// </summary>
    public static IServiceCollection AddClinicIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = Settings(configuration);
        if (!settings.UsesEmbeddedServer && string.IsNullOrWhiteSpace(settings.Audience) && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "Auth:Authority is set but Auth:Audience is not: the clinic would accept tokens the authority issued to any other service.");
        }

        services.Configure<AuthSettings>(configuration.GetSection(AuthSettings.Section));

        services.AddDbContext<ClinicIdentityDb>((sp, options) =>
        {
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), History);
            options.UseOpenIddict();
        });

        services.AddIdentityCore<ClinicUser>(options =>
            {
                options.User.RequireUniqueEmail = true;

                // The user name is the e-mail address; addresses such as o'neill@... or with accents are valid.
                options.User.AllowedUserNameCharacters = "";
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = settings.MaxFailedSignIns;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(settings.LockoutMinutes);
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<ClinicIdentityDb>()
            .AddDefaultTokenProviders();

        // Password-setup tokens, the sign-in cookie and anti-forgery tokens must verify on every node and across restarts.
        services.AddDataProtection().SetApplicationName("EventSourcedClinic").PersistKeysToDbContext<ClinicIdentityDb>();
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TimeSpan.FromHours(72));

        var openIddict = services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ClinicIdentityDb>());

        if (settings.UsesEmbeddedServer)
        {
            openIddict.AddServer(server =>
            {
                if (!string.IsNullOrWhiteSpace(settings.Issuer))
                {
                    server.SetIssuer(new Uri(settings.Issuer, UriKind.Absolute));
                }

                server.SetTokenEndpointUris("connect/token");
                server.SetAuthorizationEndpointUris("connect/authorize");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.AllowClientCredentialsFlow();
                server.AddSmartClientAssertions();
                server.AllowRefreshTokenFlow();
                if (settings.AllowPasswordGrant)
                {
                    server.AllowPasswordFlow();
                }

                server.RegisterScopes([ClinicScopes.Api, "openid", "offline_access", .. ClinicScopes.SystemScopes]);
                server.RegisterClaims(ClinicClaims.Role, ClinicClaims.Name, ClinicClaims.Email, ClinicClaims.ClientId);
                server.SetAccessTokenLifetime(TimeSpan.FromMinutes(settings.AccessTokenMinutes));

                // Access tokens are plain signed JWTs so that any resource server (or jwt.io) can read them.
                server.DisableAccessTokenEncryption();
                var aspNet = server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough();
                if (settings.AllowHttp)
                {
                    aspNet.DisableTransportSecurityRequirement();
                }
            });
            services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeys>();

            openIddict.AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });
            services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).AddSignInCookie();
            services.AddAntiforgery();
        }
        else
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(bearer =>
                {
                    bearer.Authority = settings.Authority;
                    bearer.Audience = settings.Audience;

                    // Without a configured audience any token of that authority is accepted: set Auth:Audience in production.
                    bearer.TokenValidationParameters.ValidateAudience = !string.IsNullOrWhiteSpace(settings.Audience);
                    bearer.MapInboundClaims = false;
                    bearer.RequireHttpsMetadata = !settings.AllowHttp;
                    bearer.TokenValidationParameters.NameClaimType = ClinicClaims.Name;
                    bearer.TokenValidationParameters.RoleClaimType = settings.RoleClaim;

                    // A browser's WebSocket cannot send headers: the hubs take the token from the query string, and only they.
                    bearer.Events = new JwtBearerEvents
                    {
                        OnMessageReceived = context =>
                        {
                            if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                            {
                                context.Token = token;
                            }

                            return Task.CompletedTask;
                        },
                    };
                });
        }

        // Every endpoint needs a signed-in caller unless it says otherwise, and the REST API needs its scope.
        services.AddAuthorization(options =>
        {
            var policy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
            if (!string.IsNullOrWhiteSpace(settings.RequiredScope))
            {
                policy.RequireAssertion(context => context.User.FindAll(ClinicClaims.Scope)
                    .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Contains(settings.RequiredScope));
            }

            options.DefaultPolicy = policy.Build();
            options.FallbackPolicy = options.DefaultPolicy;
        });
        return services;
    }

    /// <summary>The identity context's provider settings, shared with the design-time factory that writes migrations.</summary>
    public static void UseIdentityDatabase(DbContextOptionsBuilder options, string connectionString)
    {
        options.UseNpgsql(connectionString, History);
        options.UseOpenIddict();
    }

    private static void History(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsHistoryTable("__ef_migrations_history", ClinicIdentityDb.Schema);

    public static AuthSettings Settings(IConfiguration configuration) =>
        configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();

    /// <summary>The sign-in side exists only when this host is its own authorization server.</summary>
    public static IEndpointRouteBuilder MapClinicIdentity(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (Settings(configuration).UsesEmbeddedServer)
        {
            app.MapTokenEndpoints();
            app.MapSignInPage();
        }

        return app;
    }
}
