using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Patients.ContactDetails;
using EventSourcedClinic.Domain.Therapists;

namespace EventSourcedClinic.Api.Patients.ContactDetails;

/// <summary>A patient updates their own contact details; another patient's record is not found.</summary>
public static class ChangeContactDetailsEndpoint
{
    public static ProblemDetails Validate(ChangeContactDetailsRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePut("/api/patients/{patientId}/contact-details"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Put(
        ChangeContactDetailsRequest command, Guid patientId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        Actor.From(user).UserId != patientId
            ? Results.Problem(Problems.NotFound("patient"))
            : (await session.ChangeAsync<Patient>(patientId, "patient", command.ExpectedVersion,
                p => ChangeContactDetails.Decide(p, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<ChangeContactDetailsRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            RuleFor(x => x.Phone).MaximumLength(30);
            RuleFor(x => x.GpPracticeOdsCode).MaximumLength(10);
            RuleFor(x => x.PreferredLanguage!).KnownCodes(Catalogue.Languages, "ISO 639-1 language").When(x => x.PreferredLanguage is not null);
            RuleFor(x => x.Address!).ChildRules(address =>
            {
                address.RuleFor(a => a.Line1).NotEmpty().MaximumLength(200);
                address.RuleFor(a => a.Line2).MaximumLength(200);
                address.RuleFor(a => a.Town).NotEmpty().MaximumLength(100);
                address.RuleFor(a => a.Postcode).NotEmpty().MaximumLength(10);
            }).When(x => x.Address is not null);
            RuleFor(x => x.EmergencyContact!).ChildRules(contact =>
            {
                contact.RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
                contact.RuleFor(c => c.Phone).NotEmpty().MaximumLength(30);
                contact.RuleFor(c => c.Relationship).NotEmpty().MaximumLength(50);
            }).When(x => x.EmergencyContact is not null);
        }
    }
}

/// <summary>The request body of <see cref="ChangeContactDetails"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record ChangeContactDetailsRequest(
    long ExpectedVersion,
    string? Phone = null,
    PostalAddressBody? Address = null,
    string? GpPracticeOdsCode = null,
    EmergencyContactBody? EmergencyContact = null,
    string? PreferredLanguage = null) : IExpectVersion
{
    public static implicit operator ChangeContactDetails(ChangeContactDetailsRequest request) => new(
        request.ExpectedVersion,
        request.Phone,
        request.Address is { } address ? (PostalAddress)address : null,
        request.GpPracticeOdsCode,
        request.EmergencyContact is { } emergencyContact ? (EmergencyContact)emergencyContact : null,
        request.PreferredLanguage);
}

/// <summary>A postal address as the HTTP contract carries it.</summary>
public sealed record PostalAddressBody(string Line1, string Town, string Postcode, string? Line2 = null)
{
    public static explicit operator PostalAddress(PostalAddressBody body) => new(body.Line1, body.Town, body.Postcode, body.Line2);
}

/// <summary>An emergency contact as the HTTP contract carries it.</summary>
public sealed record EmergencyContactBody(string Name, string Phone, string Relationship)
{
    public static explicit operator EmergencyContact(EmergencyContactBody body) => new(body.Name, body.Phone, body.Relationship);
}
