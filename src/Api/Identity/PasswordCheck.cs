using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// Checks an e-mail and password the same way for the token endpoint and the sign-in page: unknown users and wrong
/// passwords get one answer, failures count towards a temporary lockout, and a success clears the count.
/// </summary>
public static class PasswordCheck
{
    public const string Wrong = "The e-mail address or password is wrong.";
    public const string Locked = "The account is locked after repeated failed sign-ins; try again later.";
    public const string BusyMessage = "The account is busy; try again.";

    private const int LockSpace = 0x436C69;

    public static async Task<(ClinicUser? User, string? Error)> CheckAsync(
        UserManager<ClinicUser> users, ClinicIdentityDb db, string? userName, string? password)
    {
        // Sign-ins to one account take turns (a transaction-scoped advisory lock on its normalised name), so that
        // guesses sent at once are each counted before the next is checked and the lockout cannot be outrun.
        var normalised = users.NormalizeName(userName ?? "");
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlInterpolatedAsync($"select pg_advisory_xact_lock({LockSpace}, hashtext({normalised}))");

        var user = await users.FindByNameAsync(userName ?? "");
        if (user is null)
        {
            return (null, Wrong);
        }

        if (await users.IsLockedOutAsync(user))
        {
            return (null, Locked);
        }

        if (!await users.CheckPasswordAsync(user, password ?? ""))
        {
            var counted = await users.AccessFailedAsync(user);
            await transaction.CommitAsync();
            return counted.Succeeded ? (null, Wrong) : Busy(db);
        }

        if (await users.GetAccessFailedCountAsync(user) > 0 && !(await users.ResetAccessFailedCountAsync(user)).Succeeded)
        {
            return Busy(db);
        }

        await transaction.CommitAsync();
        return (user, null);
    }

    // Identity reports a lost optimistic-concurrency race (a password reset at the same moment, say) as a failed result
    // and leaves the user modified in the change tracker, where the token's own save would trip over it.
    private static (ClinicUser?, string?) Busy(ClinicIdentityDb db)
    {
        db.ChangeTracker.Clear();
        return (null, BusyMessage);
    }
}
