using Microsoft.AspNetCore.Identity;

namespace EventSourcedClinic.Api.Identity;

/// <summary>
/// A person who signs in: patient, therapist, admin or compliance officer. The user id is the id of their
/// Patient or Therapist stream, so a token's subject names the stream directly.
/// </summary>
public sealed class ClinicUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    public string Role { get; set; } = "";
}
