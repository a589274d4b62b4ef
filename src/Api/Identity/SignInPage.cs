using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// The embedded server's sign-in page for the authorization code flow: a plain form, protected against cross-site
/// forgery, that checks the password like the token endpoint and sets a short-lived sign-in cookie for /connect/authorize.
/// </summary>
public static class SignInPage
{
    public const string Scheme = "clinic.sign-in";
    public const string Path = "/account/login";

    public static AuthenticationBuilder AddSignInCookie(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, cookie =>
        {
            cookie.LoginPath = Path;
            cookie.Cookie.Name = "clinic.sign-in";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(20);
            cookie.SlidingExpiration = false;
        });

    public static IEndpointRouteBuilder MapSignInPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
            Page(http, antiforgery, Safe(returnUrl), error: null)).ExcludeFromDescription().AllowAnonymous();
        app.MapPost(Path, SignIn).ExcludeFromDescription().AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> SignIn(
        HttpContext http, IAntiforgery antiforgery, UserManager<ClinicUser> users, ClinicIdentityDb db)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The sign-in form posts form data.");
        }

        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The sign-in form expired or did not come from this site.");
        }

        var form = await http.Request.ReadFormAsync();
        var returnUrl = Safe(form["returnUrl"]);
        var (user, error) = await PasswordCheck.CheckAsync(users, db, form["email"], form["password"]);
        if (user is null)
        {
            return Page(http, antiforgery, returnUrl, error, StatusCodes.Status400BadRequest);
        }

        var identity = new ClaimsIdentity(Scheme, ClinicClaims.Name, ClinicClaims.Role);
        identity.AddClaim(new Claim(ClinicClaims.Subject, user.Id.ToString()));
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    // Only back into this site: an open redirect would hand the sign-in to anyone's page.
    private static string Safe(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult.IsLocalUrl(url) ? url : "/";

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XFrameOptions = "DENY";
        // The form's post ends in a redirect back to the app that asked (its registered redirect URI), which form-action governs too.
        var apps = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthSettings>>().Value.AppRedirectUris
            .Select(uri => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed.GetLeftPart(UriPartial.Authority) : null).OfType<string>().Distinct();
        http.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; form-action 'self' {string.Join(' ', apps)}; frame-ancestors 'none'";
        var html = HtmlEncoder.Default;
        var message = error is null ? "" : $"<p role=\"alert\">{html.Encode(error)}</p>";
        return Results.Content($"""
            <!doctype html>
            <html lang="en-GB">
            <head><meta charset="utf-8"><title>Sign in - EventSourcedClinic</title></head>
            <body>
            <h1>Sign in to EventSourcedClinic</h1>
            {message}
            <form method="post" action="{Path}">
              <input type="hidden" name="{html.Encode(tokens.FormFieldName)}" value="{html.Encode(tokens.RequestToken!)}">
              <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
              <label>E-mail <input type="email" name="email" autocomplete="username" required></label>
              <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            </body>
            </html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
