using EventSourcedClinic.Domain.Compliance;
using Microsoft.AspNetCore.Identity;

namespace EventSourcedClinic.Api.Compliance;

public sealed record FoundPatient(Guid PatientId, string Email);

/// <summary>
/// A subject access or erasure request arrives by letter or e-mail: the compliance officer finds the patient by the
/// e-mail address they registered with. The look-up is on the patient's access log.
/// </summary>
public static class FindPatientEndpoint
{
    [WolverineGet("/api/compliance/patients"), Authorize(Roles = ClinicRoles.Compliance)]
    [ProducesResponseType<FoundPatient>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(HttpContext http, string? email, UserManager<ClinicUser> users, AccessLog accessLog, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return Results.Problem(Problems.Validate(new FoundPatient(Guid.Empty, ""), new InlineValidator<FoundPatient>
            {
                v => v.RuleFor(x => x.Email).NotEmpty().WithMessage("Give the patient's e-mail address as 'email'."),
            }));
        }

        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || user.Role != ClinicRoles.Patient)
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        await accessLog.RecordAsync(http, new PatientRead(user.Id, AccessPurpose.Administration, null, [(RecordTypes.Patient, user.Id)]), cancellation);
        return Results.Ok(new FoundPatient(user.Id, user.Email!));
    }
}
