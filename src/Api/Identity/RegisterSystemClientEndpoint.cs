using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EventSourcedClinic.Api.Identity;

/// <summary>An NHS system to register: its client id, its name, the system scopes it may ask for, and its public keys (a JWK Set).</summary>
public sealed record RegisterSystemClient(string ClientId, string DisplayName, string[] Scopes, JsonElement Jwks)
{
    public sealed class Validator : AbstractValidator<RegisterSystemClient>
    {
        public static readonly Validator Instance = new();

        private Validator()
        {
            RuleFor(x => x.ClientId).NotEmpty().Matches("^[a-z0-9][a-z0-9-]{2,63}$").WithMessage("'clientId' is 3 to 64 lower-case letters, digits and hyphens.");
            RuleFor(x => x.DisplayName).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Scopes).NotEmpty();
            RuleForEach(x => x.Scopes).Must(s => ClinicScopes.SystemScopes.Contains(s))
                .WithMessage($"Each scope must be one of: {string.Join(", ", ClinicScopes.SystemScopes)}.");
            RuleFor(x => x.Jwks).Must(j => PublicKeys(j) is { Count: > 0 })
                .WithMessage("'jwks' must be a JSON Web Key Set of public RSA or EC signing keys (no private parts).");
        }
    }

    /// <summary>The key set, or null when it is not one, holds no usable key, or carries a private key.</summary>
    public static IList<JsonWebKey>? PublicKeys(JsonElement jwks)
    {
        try
        {
            var set = new JsonWebKeySet(jwks.GetRawText());
            return set.Keys.Count > 0 && set.Keys.All(k => k.Kty is "RSA" or "EC" && string.IsNullOrEmpty(k.D) && k.Use is null or "" or "sig") ? set.Keys : null;
        }
        catch (Exception e) when (e is ArgumentException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>
/// The admin registers an NHS system by its public keys, for SMART Backend Services (private_key_jwt): no shared secret
/// is issued or stored, and the system signs its own client assertions.
/// </summary>
public static class RegisterSystemClientEndpoint
{
    public static ProblemDetails Validate(RegisterSystemClient request) => Problems.Validate(request, RegisterSystemClient.Validator.Instance);

    [WolverinePost("/api/admin/system-clients"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<RegisteredSystemClient>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(RegisterSystemClient request, IOpenIddictApplicationManager applications, CancellationToken cancellation)
    {
        if (await applications.FindByClientIdAsync(request.ClientId, cancellation) is not null)
        {
            return Results.Problem(Problems.Conflict("client-exists", $"A client '{request.ClientId}' is already registered."));
        }

        var keys = new JsonWebKeySet();
        foreach (var key in RegisterSystemClient.PublicKeys(request.Jwks)!)
        {
            keys.Keys.Add(key);
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = request.ClientId,
            ClientType = ClientTypes.Confidential,
            DisplayName = request.DisplayName,
            JsonWebKeySet = keys,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in request.Scopes.Distinct())
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        await applications.CreateAsync(descriptor, cancellation);
        return Results.Created($"/api/admin/system-clients/{request.ClientId}", new RegisteredSystemClient(request.ClientId, request.Scopes.Distinct().ToArray(), keys.Keys.Count));
    }
}

public sealed record RegisteredSystemClient(string ClientId, string[] Scopes, int Keys);
