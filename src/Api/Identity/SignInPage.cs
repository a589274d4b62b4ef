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

    public const string StylePath = "/account/sign-in.css";

    /// <summary>The page's look: plain, readable, the web app's colours, large targets (no script, nothing from elsewhere).</summary>
    private const string Style = """
        body { margin: 0; font-family: arial, sans-serif; font-size: 19px; line-height: 1.5; color: #212b32; background: #f0f4f5; }
        header { background: #005eb8; color: #fff; padding: 12px 16px; } header p { margin: 0 auto; max-width: 40em; font-weight: 600; }
        main { max-width: 40em; margin: 0 auto; padding: 24px 16px; } h1 { font-size: 2.25rem; margin: 0 0 24px; }
        label { display: block; font-weight: 600; margin: 16px 0 4px; }
        input[type=email], input[type=password] { box-sizing: border-box; width: 100%; max-width: 24em; font: inherit; padding: 8px; border: 2px solid #4c6272; }
        input:focus, button:focus { outline: 4px solid #ffeb3b; box-shadow: 0 4px 0 #212b32; }
        button { margin-top: 24px; font: inherit; font-weight: 600; color: #fff; background: #007f3b; border: 0; padding: 12px 16px; box-shadow: 0 4px 0 #00401e; cursor: pointer; }
        [role=alert] { border-left: 6px solid #d5281b; background: #fff; padding: 12px 16px; font-weight: 600; }
        .help { margin-top: 40px; font-size: 16px; color: #4c6272; }
        """;

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
        app.MapGet(StylePath, () => Results.Text(Style, "text/css; charset=utf-8")).ExcludeFromDescription().AllowAnonymous();
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
        http.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'self'; form-action 'self' {string.Join(' ', apps)}; frame-ancestors 'none'";
        var html = HtmlEncoder.Default;
        var message = error is null ? "" : $"<p role=\"alert\">{html.Encode(error)}</p>";
        return Results.Content($"""
            <!doctype html>
            <html lang="en-GB">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in - EventSourcedClinic</title><link rel="stylesheet" href="{StylePath}"></head>
            <body>
            <header><p>EventSourcedClinic</p></header>
            <main>
            <h1>Sign in</h1>
            {message}
            <form method="post" action="{Path}">
              <input type="hidden" name="{html.Encode(tokens.FormFieldName)}" value="{html.Encode(tokens.RequestToken!)}">
              <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
              <label for="email">Email address</label>
              <input id="email" type="email" name="email" autocomplete="username" spellcheck="false" required>
              <label for="password">Password</label>
              <input id="password" type="password" name="password" autocomplete="current-password" required>
              <button type="submit">Sign in</button>
            </form>
            <p class="help">This service is not for emergencies. If you or someone else is in danger now, call 999. For urgent
            mental health help, call NHS 111 and choose option 2. To talk to someone any time, call Samaritans free on 116 123.</p>
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
