using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// Opens a sign-in account and starts its stream in one PostgreSQL transaction, so that a person is never left
/// with an account and no stream, or a stream and no account.
/// </summary>
public sealed class AccountOpening(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, IDocumentStore store)
{
    public async Task<IdentityResult> OpenAsync(
        ClinicUser user, string? password, Action<IDocumentSession> startStream, Action<IDocumentSession> stamp, CancellationToken cancellation)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);

        // A scope of its own, so that the request's identity context never points at this connection once it is gone.
        await using var scope = scopes.CreateAsyncScope();
        var identityDb = scope.ServiceProvider.GetRequiredService<ClinicIdentityDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        identityDb.Database.SetDbConnection(connection);
        await identityDb.Database.UseTransactionAsync(transaction, cancellation);

        IdentityResult created;
        try
        {
            created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another registration with the same e-mail committed between Identity's check and this insert.
            created = IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email ?? ""));
        }

        if (!created.Succeeded)
        {
            await transaction.RollbackAsync(cancellation);
            return created;
        }

        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
        stamp(session);
        startStream(session);
        await session.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return created;
    }

    public static bool IsDuplicate(IdentityResult result) =>
        result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName));
}
