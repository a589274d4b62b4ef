using Npgsql;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers.Protection;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// SMART Backend Services client assertions on top of OpenIddict's RFC 7523 support (ADR 0011). SMART clients type their
/// assertion <c>JWT</c> (OpenIddict wants <c>client-authentication+jwt</c>) and address it to the token endpoint (OpenIddict
/// wants the issuer), and the server must refuse a replayed <c>jti</c>. Only client assertions are touched: three handlers
/// widen the accepted type and audience for them alone, and a fourth records each <c>jti</c> until the assertion expires.
/// </summary>
public static class SmartClientAssertions
{
    public const string ClientAssertionType = "urn:openiddict:params:oauth:token-type:client_assertion";
    public const string IdentityTokenType = "urn:ietf:params:oauth:token-type:id_token";

    public const string Schema = """
        create schema if not exists identity;
        create table if not exists identity.client_assertion_jtis (
            client_id text not null,
            jti text not null,
            expires_at timestamptz not null,
            primary key (client_id, jti)
        );
        """;

    /// <summary>Each jti, kept until its assertion expires; owned by the store's migration (ADR 0012).</summary>
    public static DatabaseObject DatabaseObject { get; } = new("identity", "client_assertion_jtis", Schema,
        "table identity.client_assertion_jtis", "drop table if exists identity.client_assertion_jtis;");

    private static bool IsClientAssertion(ValidateTokenContext context) =>
        context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(ClientAssertionType);

    public static void AddSmartClientAssertions(this OpenIddictServerBuilder server)
    {
        // 1. Accept the "JWT" type SMART clients put in the header, for client assertions only.
        server.AddEventHandler<ValidateTokenContext>(handler => handler
            .UseInlineHandler(context =>
            {
                if (IsClientAssertion(context) && context.TokenValidationParameters.ValidTypes is { } types)
                {
                    context.TokenValidationParameters.ValidTypes = [.. types, "JWT"];
                }

                return default;
            })
            .SetOrder(ResolveTokenValidationParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));

        // 2. A "JWT"-typed token is read as an identity token; an assertion it remains.
        server.AddEventHandler<ValidateTokenContext>(handler => handler
            .UseInlineHandler(context =>
            {
                if (IsClientAssertion(context) && context.Principal is { } principal && principal.GetTokenType() == IdentityTokenType)
                {
                    principal.SetTokenType(ClientAssertionType);
                }

                return default;
            })
            .SetOrder(ValidateIdentityModelToken.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));

        // 3. SMART addresses the assertion to the token endpoint; the issuer stays accepted too.
        server.AddEventHandler<ValidateTokenContext>(handler => handler
            .UseInlineHandler(context =>
            {
                if (IsClientAssertion(context) && context.BaseUri is { } baseUri)
                {
                    context.ValidAudiences.Add(new Uri(baseUri, "connect/token").AbsoluteUri);
                }

                return default;
            })
            .SetOrder(ValidateAudiences.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom));

        // 4. Each assertion once: its jti is kept until it expires.
        server.AddEventHandler<ValidateTokenContext>(handler => handler
            .UseSingletonHandler<RefuseReplayedAssertion>()
            .SetOrder(ValidateAudiences.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));
    }

    public sealed class RefuseReplayedAssertion(NpgsqlDataSource database, TimeProvider time) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (!IsClientAssertion(context) || context.IsRejected || context.Principal is not { } principal)
            {
                return;
            }

            var jti = principal.GetClaim("jti");
            var client = principal.GetClaim("iss") ?? "";
            if (string.IsNullOrWhiteSpace(jti))
            {
                context.Reject(OpenIddictConstants.Errors.InvalidClient, "A client assertion needs a 'jti'.");
                return;
            }

            var expires = principal.GetExpirationDate() ?? time.GetUtcNow().AddMinutes(5);
            await using (var forget = database.CreateCommand("delete from identity.client_assertion_jtis where expires_at < $1"))
            {
                forget.Parameters.AddWithValue(time.GetUtcNow());
                await forget.ExecuteNonQueryAsync();
            }

            await using var remember = database.CreateCommand(
                "insert into identity.client_assertion_jtis (client_id, jti, expires_at) values ($1, $2, $3) on conflict do nothing returning 1");
            remember.Parameters.AddWithValue(client);
            remember.Parameters.AddWithValue(jti);
            remember.Parameters.AddWithValue(expires);
            if (await remember.ExecuteScalarAsync() is null)
            {
                context.Reject(OpenIddictConstants.Errors.InvalidClient, "This client assertion was already used.");
            }
        }
    }
}
