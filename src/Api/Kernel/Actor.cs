
namespace EventSourcedClinic.Api.Kernel;

/// <summary>Who is acting, read from the bearer token: a person (subject + role) or a machine client.</summary>
public sealed record Actor(string Id, string Role, string? ClientId, string? OnBehalfOf)
{
    public static readonly Actor Anonymous = new("anonymous", "anonymous", null, null);

    public static Actor From(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClinicClaims.Subject);
        if (id is null)
        {
            return Anonymous;
        }

        // The role claim's name depends on who issued the token (Auth:RoleClaim); the identity knows which it is.
        var roleClaim = (user.Identity as ClaimsIdentity)?.RoleClaimType ?? ClinicClaims.Role;
        var role = user.FindFirstValue(roleClaim) ?? user.FindFirstValue(ClinicClaims.Role) ?? "unknown";
        return new Actor(id, role, user.FindFirstValue(ClinicClaims.ClientId) ?? user.FindFirstValue("azp"), user.FindFirstValue("act"));
    }

    public Guid? UserId => Guid.TryParse(Id, out var id) ? id : null;

    public bool Is(string role) => Role == role;

    /// <summary>Admins act on any therapist; a therapist only on themself.</summary>
    public bool MayActForTherapist(Guid therapistId) => Is(ClinicRoles.Admin) || (Is(ClinicRoles.Therapist) && UserId == therapistId);
}
