using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Identity;

namespace EventSourcedClinic.Api.Tests.Identity;

public class TokenTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_password_grant_issues_a_signed_jwt_naming_the_user_and_role()
    {
        var token = await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword);

        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(token);
        jwt.Header.Alg.ShouldBe("RS256");
        jwt.Claims.Single(c => c.Type == "role").Value.ShouldBe(ClinicRoles.Admin);
        jwt.Claims.Single(c => c.Type == "email").Value.ShouldBe(ClinicApp.AdminEmail);

        var me = await app.As(token).GetFromJsonAsync<JsonElement>("/api/me", Cancel);
        me.GetProperty("role").GetString().ShouldBe(ClinicRoles.Admin);
        me.GetProperty("clientId").GetString().ShouldBe(ClientRegistry.ClinicApp);
    }

    [Fact]
    public async Task a_wrong_password_is_an_invalid_grant()
    {
        var patient = await PatientAccounts.Register(app);
        var response = await app.RequestToken(("grant_type", "password"), ("client_id", ClientRegistry.ClinicApp),
            ("username", patient.Email), ("password", "not-the-password"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task repeated_failures_lock_the_account_even_against_the_right_password()
    {
        var patient = await PatientAccounts.Register(app);
        for (var i = 0; i < 3; i++)
        {
            var failed = await app.RequestToken(("grant_type", "password"), ("client_id", ClientRegistry.ClinicApp),
                ("username", patient.Email), ("password", "wrong-password-" + i));
            failed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var locked = await app.RequestToken(("grant_type", "password"), ("client_id", ClientRegistry.ClinicApp),
            ("username", patient.Email), ("password", patient.Password));

        locked.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await locked.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("error_description").GetString()!.ShouldContain("locked");
    }

    [Fact]
    public async Task a_machine_client_gets_a_system_token_limited_to_its_scopes()
    {
        var token = await app.SystemToken();

        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(token);
        jwt.Claims.Single(c => c.Type == "role").Value.ShouldBe(ClinicRoles.System);
        jwt.Claims.Single(c => c.Type == "client_id").Value.ShouldBe(ClinicApp.SystemClient);

        var refused = await app.RequestToken(("grant_type", "client_credentials"), ("client_id", ClinicApp.SystemClient),
            ("client_secret", ClinicApp.SystemSecret), ("scope", "system/*.read"));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_machine_client_with_the_wrong_secret_gets_no_token()
    {
        var response = await app.RequestToken(("grant_type", "client_credentials"), ("client_id", ClinicApp.SystemClient),
            ("client_secret", "guess"), ("scope", "system/Patient.read"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task no_token_is_a_401_problem()
    {
        var response = await app.Anonymous().GetAsync("/api/me", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Scenarios.Problem(response)).GetProperty("status").GetInt32().ShouldBe(401);
    }

    [Fact]
    public async Task a_forged_or_garbled_token_is_a_401()
    {
        var token = await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword);
        var parts = token.Split('.');
        var forgedPayload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"{{\"sub\":\"{Guid.NewGuid()}\",\"role\":\"admin\",\"exp\":4102444800}}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        (await app.As($"{parts[0]}.{forgedPayload}.{parts[2]}").GetAsync("/api/me", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.As("not-a-token").GetAsync("/api/me", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task the_password_grant_needs_a_registered_client()
    {
        var response = await app.RequestToken(("grant_type", "password"), ("username", ClinicApp.AdminEmail), ("password", ClinicApp.StaffPassword));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("error").GetString().ShouldBe("invalid_client");
    }
}
