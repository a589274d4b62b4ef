using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// The embedded server's token endpoint. OpenIddict has already checked the request's shape, the client and its
/// permissions; this decides who the subject is and which claims the token carries.
/// </summary>
public static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", Exchange).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static async Task<IResult> Exchange(
        HttpContext http, UserManager<ClinicUser> users, ClinicIdentityDb db, IOpenIddictApplicationManager applications)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");

        if (request.IsPasswordGrantType())
        {
            // Two sign-ins of one user at once both update the user's failure count; the loser reloads and checks again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await CheckPassword(users, request);
                }
                catch (DbUpdateConcurrencyException) when (attempt < 5)
                {
                    db.ChangeTracker.Clear();
                }
            }
        }

        if (request.IsRefreshTokenGrantType())
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = await users.FindByIdAsync(result.Principal?.GetClaim(Claims.Subject) ?? "");
            if (user is null || await users.IsLockedOutAsync(user))
            {
                return InvalidGrant("The refresh token is no longer valid.");
            }

            return SignIn(ForUser(user, request));
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
            return SignIn(identity);
        }

        return Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.UnsupportedGrantType,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "This grant type is not supported.",
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> CheckPassword(UserManager<ClinicUser> users, OpenIddictRequest request)
    {
        var user = await users.FindByNameAsync(request.Username ?? "");
        if (user is null)
        {
            return InvalidGrant("The user name or password is wrong.");
        }

        if (await users.IsLockedOutAsync(user))
        {
            return InvalidGrant("The account is locked after repeated failed sign-ins; try again later.");
        }

        if (!await users.CheckPasswordAsync(user, request.Password ?? ""))
        {
            Saved(await users.AccessFailedAsync(user));
            return InvalidGrant("The user name or password is wrong.");
        }

        if (await users.GetAccessFailedCountAsync(user) > 0)
        {
            Saved(await users.ResetAccessFailedCountAsync(user));
        }

        return SignIn(ForUser(user, request));
    }

    // Identity's store reports a lost optimistic-concurrency race as a failed result and leaves the user modified in
    // the change tracker, where the token's own save would trip over it; turn it back into the exception we retry on.
    private static void Saved(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new DbUpdateConcurrencyException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private static ClaimsIdentity ForUser(ClinicUser user, OpenIddictRequest request)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString());
        identity.SetClaim(Claims.Name, user.DisplayName);
        identity.SetClaim(Claims.Email, user.Email);
        identity.SetClaims(Claims.Role, [user.Role]);
        if (request.ClientId is { Length: > 0 } clientId)
        {
            identity.SetClaim(ClinicClaims.ClientId, clientId);
        }

        identity.SetScopes(request.GetScopes().Intersect([ClinicScopes.Api, Scopes.OpenId, Scopes.OfflineAccess]));
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

    private static IResult InvalidGrant(string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
