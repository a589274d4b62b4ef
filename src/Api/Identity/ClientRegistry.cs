using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EventSourcedClinic.Api.Identity;

/// <summary>The OAuth clients the embedded server knows: the clinic's own app and, in a demo clinic, an NHS system.</summary>
public static class ClientRegistry
{
    /// <summary>The clinic's own web and mobile app: a public client (no secret).</summary>
    public const string ClinicApp = "clinic-app";

    public const string DemoNhsSystem = "iaptus-demo";
    public const string DemoNhsSystemSecret = "iaptus-demo-secret";

    public static async Task EnsureClinicAppAsync(IServiceProvider services, CancellationToken cancellation)
    {
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        var settings = services.GetRequiredService<IOptions<AuthSettings>>().Value;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClinicApp,
            ClientType = ClientTypes.Public,
            DisplayName = "EventSourcedClinic app",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + ClinicScopes.Api,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in settings.AppRedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        if (settings.AllowPasswordGrant)
        {
            descriptor.Permissions.Add(Permissions.GrantTypes.Password);
        }

        var existing = await applications.FindByClientIdAsync(ClinicApp, cancellation);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellation);
        }
        else
        {
            // Configuration decides whether the password grant is allowed; keep the stored client in step with it.
            await applications.UpdateAsync(existing, descriptor, cancellation);
        }
    }

    public static async Task EnsureDemoNhsSystemAsync(IServiceProvider services, CancellationToken cancellation)
    {
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(DemoNhsSystem, cancellation) is not null)
        {
            return;
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = DemoNhsSystem,
            ClientSecret = DemoNhsSystemSecret,
            ClientType = ClientTypes.Confidential,
            DisplayName = "Demo NHS Talking Therapies system (IAPTUS)",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in ClinicScopes.SystemScopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        await applications.CreateAsync(descriptor, cancellation);
    }
}
