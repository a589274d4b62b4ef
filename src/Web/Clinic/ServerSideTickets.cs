using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Distributed;

namespace EventSourcedClinic.Web.Clinic;

/// <summary>
/// The backend-for-frontend's sessions: the sign-in (with its access and refresh tokens) stays on the server, in a
/// distributed cache; the browser's cookie holds only the session's random key. Signing out removes it.
/// </summary>
public sealed class ServerSideTickets(IDistributedCache cache) : ITicketStore
{
    private static readonly TicketSerializer Serializer = TicketSerializer.Default;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) =>
        cache.SetAsync(Name(key), Serializer.Serialize(ticket), new DistributedCacheEntryOptions
        {
            AbsoluteExpiration = ticket.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow.AddHours(8),
            SlidingExpiration = TimeSpan.FromMinutes(30),
        });

    public async Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        await cache.GetAsync(Name(key)) is { } bytes ? Serializer.Deserialize(bytes) : null;

    public Task RemoveAsync(string key) => cache.RemoveAsync(Name(key));

    private static string Name(string key) => $"clinic-web:session:{key}";
}

/// <summary>Gives the cookie handler its server-side store once the cache exists.</summary>
public sealed class UseServerSideTickets(IDistributedCache cache) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options) => options.SessionStore = new ServerSideTickets(cache);
}
