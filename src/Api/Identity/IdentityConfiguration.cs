using Microsoft.AspNetCore.Authentication.JwtBearer;
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
    public static IServiceCollection AddClinicIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = Settings(configuration);
        services.Configure<AuthSettings>(configuration.GetSection(AuthSettings.Section));

        services.AddDbContext<ClinicIdentityDb>((sp, options) =>
        {
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>());
            options.UseOpenIddict();
        });

        services.AddIdentityCore<ClinicUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
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

        var openIddict = services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ClinicIdentityDb>());

        if (settings.UsesEmbeddedServer)
        {
            openIddict.AddServer(server =>
            {
                server.SetTokenEndpointUris("connect/token");
                server.SetAuthorizationEndpointUris("connect/authorize");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.AllowClientCredentialsFlow();
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
                });
        }

        services.AddAuthorization();
        return services;
    }

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
