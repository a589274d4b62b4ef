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

    public static async Task<(ClinicUser? User, string? Error)> CheckAsync(
        UserManager<ClinicUser> users, ClinicIdentityDb db, string? userName, string? password)
    {
        // Two sign-ins of one user at once both update the user's failure count; the loser reloads and checks again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CheckOnceAsync(users, userName, password);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<(ClinicUser?, string?)> CheckOnceAsync(UserManager<ClinicUser> users, string? userName, string? password)
    {
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
            Saved(await users.AccessFailedAsync(user));
            return (null, Wrong);
        }

        if (await users.GetAccessFailedCountAsync(user) > 0)
        {
            Saved(await users.ResetAccessFailedCountAsync(user));
        }

        return (user, null);
    }

    // Identity's store reports a lost optimistic-concurrency race as a failed result and leaves the user modified in
    // the change tracker, where the next save would trip over it; turn it back into the exception we retry on.
    private static void Saved(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new DbUpdateConcurrencyException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
