using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventSourcedClinic.Api.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace EventSourcedClinic.Api.Tests.Identity;

/// <summary>The flow production uses instead of the password grant: sign in on the clinic's page, code + PKCE back to the app.</summary>
public class AuthorizationCodeTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_patient_signs_in_on_the_page_and_the_app_swaps_the_code_and_verifier_for_a_token()
    {
        var patient = await PatientAccounts.Register(app);
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = ClientRegistry.ClinicApp, ["response_type"] = "code", ["redirect_uri"] = ClinicApp.AppRedirectUri,
            ["scope"] = "clinic.api", ["state"] = "xyz", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });
        using var browser = app.Browser();

        var toLogin = await browser.GetAsync(authorize, Cancel);
        toLogin.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        toLogin.Headers.Location!.ToString().ShouldContain(SignInPage.Path);

        var page = await browser.GetStringAsync(toLogin.Headers.Location, Cancel);
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(page, "__RequestVerificationToken"), ["returnUrl"] = WebUtility.HtmlDecode(Field(page, "returnUrl")),
            ["email"] = patient.Email, ["password"] = patient.Password,
        };
        var signedIn = await browser.PostAsync(SignInPage.Path, new FormUrlEncodedContent(form), Cancel);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var toApp = await browser.GetAsync(signedIn.Headers.Location, Cancel);
        toApp.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var back = toApp.Headers.Location!;
        back.GetLeftPart(UriPartial.Path).ShouldBe(ClinicApp.AppRedirectUri);
        var query = QueryHelpers.ParseQuery(back.Query);
        query["state"].ToString().ShouldBe("xyz");

        var wrongVerifier = await app.RequestToken(("grant_type", "authorization_code"), ("client_id", ClientRegistry.ClinicApp),
            ("code", query["code"].ToString()), ("redirect_uri", ClinicApp.AppRedirectUri), ("code_verifier", Base64Url(RandomNumberGenerator.GetBytes(32))));
        wrongVerifier.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // A code is single-use; the failed attempt above already spent it, so walk the flow again for a fresh one.
        var again = await browser.GetAsync(authorize, Cancel);
        var code = QueryHelpers.ParseQuery(again.Headers.Location!.Query)["code"].ToString();
        var token = await app.RequestToken(("grant_type", "authorization_code"), ("client_id", ClientRegistry.ClinicApp),
            ("code", code), ("redirect_uri", ClinicApp.AppRedirectUri), ("code_verifier", verifier));
        token.StatusCode.ShouldBe(HttpStatusCode.OK, await token.Content.ReadAsStringAsync(Cancel));
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("access_token").GetString()!;

        var me = await app.As(accessToken).GetFromJsonAsync<JsonElement>("/api/me", Cancel);
        me.GetProperty("subject").GetString().ShouldBe(patient.Id.ToString());
        me.GetProperty("role").GetString().ShouldBe(ClinicRoles.Patient);
    }

    [Fact]
    public async Task the_sign_in_page_refuses_a_post_without_its_anti_forgery_token()
    {
        var patient = await PatientAccounts.Register(app);
        using var browser = app.Browser();

        var response = await browser.PostAsync(SignInPage.Path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = patient.Email, ["password"] = patient.Password, ["returnUrl"] = "/",
        }), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task the_sign_in_page_says_no_to_a_wrong_password_and_never_redirects_off_site()
    {
        var patient = await PatientAccounts.Register(app);
        using var browser = app.Browser();
        var page = await browser.GetStringAsync($"{SignInPage.Path}?returnUrl=https://evil.example/steal", Cancel);
        Field(page, "returnUrl").ShouldBe("/");

        var wrong = await browser.PostAsync(SignInPage.Path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(page, "__RequestVerificationToken"), ["returnUrl"] = "//evil.example",
            ["email"] = patient.Email, ["password"] = "not-my-password",
        }), Cancel);
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync(Cancel)).ShouldContain(PasswordCheck.Wrong);

        var page2 = await wrong.Content.ReadAsStringAsync(Cancel);
        var right = await browser.PostAsync(SignInPage.Path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(page2, "__RequestVerificationToken"), ["returnUrl"] = "//evil.example",
            ["email"] = patient.Email, ["password"] = patient.Password,
        }), Cancel);
        right.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        right.Headers.Location!.ToString().ShouldBe("/");
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    public async Task return_urls_that_leave_the_site_are_replaced(string returnUrl)
    {
        using var browser = app.Browser();

        var response = await browser.GetAsync($"{SignInPage.Path}?returnUrl={Uri.EscapeDataString(Uri.UnescapeDataString(returnUrl))}", Cancel);

        Field(await response.Content.ReadAsStringAsync(Cancel), "returnUrl").ShouldBe("/");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
    }

    [Fact]
    public async Task an_unregistered_redirect_uri_gets_no_code()
    {
        using var browser = app.Browser();

        var response = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = ClientRegistry.ClinicApp, ["response_type"] = "code", ["redirect_uri"] = "https://evil.example/cb",
            ["scope"] = "clinic.api", ["code_challenge"] = Base64Url(new byte[32]), ["code_challenge_method"] = "S256",
        }), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static string Field(string html, string name) =>
        Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
