using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Identity;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSourcedClinic.Api.Tests.Identity;

/// <summary>
/// Configuration alone turns the embedded server off and validates an external OpenID Connect authority's tokens
/// (NHS login, NHS CIS2 in production). Here the external authority is the test run's own clinic host, reached
/// through its discovery document and keys like any other authority.
/// </summary>
public class ExternalAuthorityTests(ClinicApp authority)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_host_pointed_at_an_external_authority_accepts_its_tokens_and_issues_none_itself()
    {
        var database = $"clinic_external_{Guid.NewGuid():N}";
        await Admin($"create database \"{database}\"");
        try
        {
            await using var resourceServer = new ResourceServer(authority, database);
            using var client = resourceServer.CreateClient();

            var token = await authority.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword);
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var me = await client.GetFromJsonAsync<JsonElement>("/api/me", Cancel);
            me.GetProperty("role").GetString().ShouldBe(ClinicRoles.Admin);

            client.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + "AAAA");
            (await client.GetAsync("/api/me", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

            var noServer = await resourceServer.CreateClient().PostAsync("/connect/token",
                new FormUrlEncodedContent([new("grant_type", "client_credentials")]), Cancel);
            noServer.StatusCode.ShouldNotBe(HttpStatusCode.OK);
            (await noServer.Content.ReadAsStringAsync(Cancel)).ShouldNotContain("access_token");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Admin($"drop database if exists \"{database}\" with (force)");
        }
    }

    private async Task Admin(string sql)
    {
        var server = new NpgsqlConnectionStringBuilder(authority.ConnectionString) { Database = "postgres" }.ConnectionString;
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    private sealed class ResourceServer(ClinicApp authority, string database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            JasperFxEnvironment.AutoStartHost = true;
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Clinic",
                new NpgsqlConnectionStringBuilder(authority.ConnectionString) { Database = database }.ConnectionString);
            builder.UseSetting("Auth:Authority", authority.Server.BaseAddress.ToString());
            builder.UseSetting("Auth:Audience", ClinicScopes.Resource);
            builder.UseSetting("Auth:AllowHttp", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            // Configure, not PostConfigure: JwtBearer builds its metadata client in a post-configure step of its own.
            builder.ConfigureServices(services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                bearer => bearer.BackchannelHttpHandler = authority.Server.CreateHandler()));
        }
    }
}
