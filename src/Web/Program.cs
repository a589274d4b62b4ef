using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

// The clinic's web app (ADR 0017): pages rendered on the server from the clinic's API, for patients, therapists, the
// desk and compliance. A backend-for-frontend: it signs people in with the authorization code flow and PKCE against
// the clinic's authorization server, keeps their tokens in a server-side session, and gives the browser only an
// HttpOnly cookie naming that session.
var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection(WebSettings.Section).Get<WebSettings>() ?? new WebSettings();
builder.Services.Configure<WebSettings>(builder.Configuration.GetSection(WebSettings.Section));

builder.Services.AddRazorPages(pages => pages.Conventions.AuthorizeFolder("/Appointments").AuthorizeFolder("/Calendar").AuthorizeFolder("/Messages").AuthorizeFolder("/Questionnaires").AuthorizeFolder("/Caseload").AuthorizeFolder("/Account").AuthorizeFolder("/Compliance"));
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<Text>();
builder.Services.AddHttpClient<ClinicApi>(client => client.Timeout = TimeSpan.FromSeconds(30));
builder.Services.AddDistributedMemoryCache();
builder.Services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, UseServerSideTickets>();
builder.Services.AddAntiforgery(antiforgery =>
{
    antiforgery.Cookie.Name = "clinic.web.antiforgery";
    antiforgery.Cookie.SecurePolicy = settings.AllowHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
});

builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
    })
    .AddCookie(cookie =>
    {
        cookie.Cookie.Name = "clinic.web";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = settings.AllowHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.SlidingExpiration = true;
        cookie.AccessDeniedPath = "/error/404";
    })
    .AddOpenIdConnect(oidc =>
    {
        oidc.Authority = settings.AuthorityUrl;
        oidc.ClientId = settings.ClientId;
        oidc.ResponseType = "code";
        // The code comes back in the query of a top-level GET, so the correlation and nonce cookies can stay SameSite=Lax
        // (a cross-site form post would need SameSite=None, which plain http on loopback cannot have).
        oidc.ResponseMode = "query";
        oidc.UsePkce = true;
        oidc.RequireHttpsMetadata = !settings.AllowHttp;
        oidc.SaveTokens = true;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "offline_access", "clinic.api" })
        {
            oidc.Scope.Add(scope);
        }

        oidc.TokenValidationParameters.NameClaimType = "name";
        oidc.TokenValidationParameters.RoleClaimType = "role";
        oidc.CorrelationCookie.SecurePolicy = oidc.NonceCookie.SecurePolicy =
            settings.AllowHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        oidc.CorrelationCookie.SameSite = oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.Name = "clinic.web.correlation.";
        oidc.NonceCookie.Name = "clinic.web.nonce.";
    });
builder.Services.AddAuthorization();
// HTML, CSS and JavaScript compressed (Brotli or gzip) for phones on slow connections. Pages carry no secrets that a
// compression side channel could reveal beyond what anti-forgery tokens are built to withstand (they are masked per response).
builder.Services.AddResponseCompression(compression =>
{
    compression.EnableForHttps = true;
    compression.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml", "application/manifest+json"];
});

var app = builder.Build();
app.UseExceptionHandler("/error/500");
app.UseStatusCodePagesWithReExecute("/error/{0}");
if (!settings.AllowHttp)
{
    app.UseHsts();
}

app.UseSecurityHeaders();
app.UseResponseCompression();
// Files named with their content's hash (asp-append-version adds ?v=) never change: a browser keeps them a year.
app.UseStaticFiles(new StaticFileOptions
{
    OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = file.Context.Request.Query.ContainsKey("v")
        ? "public, max-age=31536000, immutable"
        : "public, max-age=3600",
});
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

// A sign-in that has ended, or that the API no longer accepts: sign in again and come back to the same page.
app.Use(async (http, next) =>
{
    try
    {
        await next(http);
    }
    catch (ApiUnavailableException) when (!http.Response.HasStarted)
    {
        // The API refused for its own reasons, or is away: "the service is unavailable", never a page that pretends all is well.
        http.Response.Clear();
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "30";
    }
    catch (SignInAgainException) when (!http.Response.HasStarted)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var back = http.Request.Method == HttpMethods.Get ? http.Request.Path + http.Request.QueryString : "/";
        await http.ChallengeAsync(OpenIdConnectDefaults.AuthenticationScheme, new AuthenticationProperties { RedirectUri = back });
    }
});

app.MapRazorPages();
app.MapGet("/signin", (string? returnUrl) => Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) },
    [OpenIdConnectDefaults.AuthenticationScheme]));
app.MapPost("/signout", async (HttpContext http, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
{
    // The form carries the anti-forgery token: another site cannot sign a person out.
    if (!await antiforgery.IsRequestValidAsync(http))
    {
        return Results.BadRequest();
    }

    await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    return Results.Redirect("/");
}).RequireAuthorization().DisableAntiforgery();
app.MapGet("/language/{lang}", (HttpContext http, string lang, string? returnUrl) =>
{
    http.Response.Cookies.Append(Text.Cookie, lang == "cy" ? "cy" : "en", new CookieOptions
    {
        HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = !settings.AllowHttp, MaxAge = TimeSpan.FromDays(365), IsEssential = true,
    });
    return Results.Redirect(LocalOnly(returnUrl));
});
app.MapGet("/health", () => Results.Text("ok"));
app.Run();

// Only a path of this app: never an open redirect.
static string LocalOnly(string? url) =>
    !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
    && !url.Any(char.IsControl) ? url : "/";

public partial class Program;
