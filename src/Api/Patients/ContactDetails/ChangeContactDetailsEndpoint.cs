using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Patients.ContactDetails;
using EventSourcedClinic.Domain.Therapists;

namespace EventSourcedClinic.Api.Patients.ContactDetails;

/// <summary>A patient updates their own contact details; another patient's record is not found.</summary>
public static class ChangeContactDetailsEndpoint
{
    public static ProblemDetails Validate(ChangeContactDetails command) => Problems.Validate(command, Validator.Instance);

    [WolverinePut("/api/patients/{patientId}/contact-details"), Authorize(Roles = ClinicRoles.Patient)]
    public static async Task<IResult> Put(
        ChangeContactDetails command, Guid patientId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        Actor.From(user).UserId != patientId
            ? Results.Problem(Problems.NotFound("patient"))
            : (await session.ChangeAsync<Patient>(patientId, "patient", command.ExpectedVersion,
                p => ChangeContactDetails.Decide(p, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<ChangeContactDetails>
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
