using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Http.Extensions;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// The embedded server's authorization and token endpoints. OpenIddict has already checked each request's shape, the
/// client, its redirect URI, PKCE and permissions; these decide who the subject is and which claims the token carries.
/// </summary>
public static class TokenEndpoint
{
    private static readonly string[] PersonScopes = [ClinicScopes.Api, Scopes.OpenId, Scopes.OfflineAccess];

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", Exchange).ExcludeFromDescription().AllowAnonymous();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], Authorize).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>Authorization code + PKCE: a person signed in on the sign-in page is sent back to the app with a code.</summary>
    private static async Task<IResult> Authorize(HttpContext http, UserManager<ClinicUser> users)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        var signedIn = await http.AuthenticateAsync(SignInPage.Scheme);
        var user = signedIn.Succeeded ? await users.FindByIdAsync(signedIn.Principal.FindFirstValue(Claims.Subject) ?? "") : null;
        if (user is null || await users.IsLockedOutAsync(user))
        {
            var back = http.Request.PathBase + http.Request.Path + QueryString.Create(
                http.Request.HasFormContentType ? http.Request.Form.ToList() : http.Request.Query.ToList());
            return Results.Challenge(new AuthenticationProperties { RedirectUri = back }, [SignInPage.Scheme]);
        }

        return SignIn(ForUser(user, request.ClientId, request.GetScopes()));
    }

    private static async Task<IResult> Exchange(
        HttpContext http, UserManager<ClinicUser> users, ClinicIdentityDb db, IOpenIddictApplicationManager applications)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");

        if (request.IsPasswordGrantType())
        {
            var (user, error) = await PasswordCheck.CheckAsync(users, db, request.Username, request.Password);
            return user is null ? InvalidGrant(error!) : SignIn(ForUser(user, request.ClientId, request.GetScopes()));
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var granted = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
            var user = await users.FindByIdAsync(granted?.GetClaim(Claims.Subject) ?? "");
            if (granted is null || user is null || await users.IsLockedOutAsync(user))
            {
                return InvalidGrant("The grant is no longer valid.");
            }

            return SignIn(ForUser(user, request.ClientId, granted.GetScopes()));
        }

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!)
                ?? throw new InvalidOperationException("OpenIddict accepted an unknown client.");
            var identity = NewIdentity();
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetClaim(ClinicClaims.ClientId, request.ClientId);
            identity.SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application));
            identity.SetClaims(Claims.Role, [ClinicRoles.System]);
            identity.SetScopes(request.GetScopes());
            identity.SetResources(ClinicScopes.Resource);
            return SignIn(identity);
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private static ClaimsIdentity ForUser(ClinicUser user, string? clientId, IEnumerable<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString());
        identity.SetClaim(Claims.Name, user.DisplayName);
        identity.SetClaim(Claims.Email, user.Email);
        identity.SetClaims(Claims.Role, [user.Role]);
        if (clientId is { Length: > 0 })
        {
            identity.SetClaim(ClinicClaims.ClientId, clientId);
        }

        identity.SetScopes(scopes.Intersect(PersonScopes));
        identity.SetResources(ClinicScopes.Resource);
        return identity;
    }

    private static ClaimsIdentity NewIdentity() =>
        new(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);

    private static IResult SignIn(ClaimsIdentity identity)
    {
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Email or Claims.Role when identity.HasScope(Scopes.OpenId) =>
                [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult InvalidGrant(string description) => Refuse(Errors.InvalidGrant, description);

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
