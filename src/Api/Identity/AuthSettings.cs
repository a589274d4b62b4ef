namespace EventSourcedClinic.Api.Identity;

/// <summary>The "Auth" section of configuration.</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    /// <summary>
    /// Empty: the clinic runs its own authorization server (OpenIddict) and validates its own tokens.
    /// Set (e.g. NHS login or NHS CIS2): tokens come from that OpenID Connect authority and are validated against its keys.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The audience an external authority's tokens must carry.</summary>
    public string? Audience { get; set; }

    /// <summary>The embedded server's issuer URI. Set it behind a load balancer so every node issues the same; empty: the request's own URL.</summary>
    public string? Issuer { get; set; }

    /// <summary>The scope a token must grant to use the REST API; empty: any valid token.</summary>
    public string RequiredScope { get; set; } = ClinicScopes.Api;

    /// <summary>The claim that carries the clinic role in an external authority's tokens.</summary>
    public string RoleClaim { get; set; } = ClinicClaims.Role;

    /// <summary>The resource owner password grant, for demo clinics and REST clients; off in production.</summary>
    public bool AllowPasswordGrant { get; set; }

    /// <summary>Plain HTTP on the token endpoint, for loopback demo and tests only.</summary>
    public bool AllowHttp { get; set; }

    public int AccessTokenMinutes { get; set; } = 30;

    public int MaxFailedSignIns { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    /// <summary>An RSA private key (PEM) to sign tokens with; when empty one is generated and kept in the database.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>Where the clinic's own app (a public client using authorization code + PKCE) may be sent back to.</summary>
    public string[] AppRedirectUris { get; set; } = [];

    /// <summary>An RSA private key (PEM) to encrypt authorization codes and refresh tokens with; empty: kept in the database.</summary>
    public string? EncryptionKeyPem { get; set; }

    public bool UsesEmbeddedServer => string.IsNullOrWhiteSpace(Authority);
}
