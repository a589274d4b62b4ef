using EventSourcedClinic.Api.PersonalData;
using Microsoft.AspNetCore.Identity;
using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Patients.Registration;

namespace EventSourcedClinic.Api.Patients.Registration;

/// <summary>A person registers themselves: a patient account and the Patient stream, in one transaction.</summary>
public static class RegisterPatientEndpoint
{
    public static ProblemDetails Validate(PatientRegistration request) => Problems.Validate(request, Validator.Instance);

    [WolverinePost("/api/patients"), AllowAnonymous]
    [ProducesResponseType<RegisteredPatient>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public static async Task<IResult> Post(
        PatientRegistration request, AccountOpening accounts, MasterKey master, TimeProvider time, HttpContext http, CancellationToken cancellation)
    {
        var patientId = Guid.CreateVersion7();
        var command = new RegisterPatient(request.GivenName, request.FamilyName, request.DateOfBirth, request.Email, request.NhsNumber);
        var decision = RegisterPatient.Decide(patientId, command, time.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return Results.Problem(Problems.From(rejection));
        }

        var registered = (PatientRegistered)decision.Events[0];
        var user = new ClinicUser
        {
            Id = patientId,
            UserName = registered.Email.Value,
            Email = registered.Email.Value,
            DisplayName = $"{registered.GivenName.Value} {registered.FamilyName.Value}",
            Role = ClinicRoles.Patient,
        };
        // The NHS number is unique in the clinic; a keyed hash is claimed in the same transaction (the number itself is only
        // ever stored encrypted).
        var nhsClaim = registered.NhsNumber is { Value: { } number } ? new NhsNumberClaim(master.HashNhsNumber(number), patientId) : null;
        IdentityResult opened;
        try
        {
            opened = await accounts.OpenAsync(
                user,
                request.Password,
                session =>
                {
                    session.Start<Patient>(patientId, decision);
                    if (nhsClaim is not null)
                    {
                        session.Insert(nhsClaim);
                    }
                },
                session => AuditStamp.Apply(session, http, new Actor(patientId.ToString(), ClinicRoles.Patient, ClientId: null, OnBehalfOf: null)),
                cancellation);
        }
        catch (Exception e) when (e is JasperFx.DocumentAlreadyExistsException || e.InnerException is JasperFx.DocumentAlreadyExistsException)
        {
            return Results.Problem(Problems.Conflict("nhs-number-registered", "A patient with that NHS number is already registered."));
        }

        if (!opened.Succeeded)
        {
            return AccountOpening.IsDuplicate(opened)
                ? Results.Problem(Problems.Conflict("email-taken", "An account with that e-mail address already exists."))
                : Results.Problem(Problems.From(Rejection.Unprocessable("password", string.Join(" ", opened.Errors.Select(e => e.Description)))));
        }

        return Results.Created($"/api/patients/{patientId}", new RegisteredPatient(patientId, 1));
    }

    public sealed class Validator : AbstractValidator<PatientRegistration>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.GivenName).NotEmpty().MaximumLength(100);
            RuleFor(x => x.FamilyName).NotEmpty().MaximumLength(100);
            RuleFor(x => x.Email).NotEmpty().MaximumLength(254).EmailAddress();
            RuleFor(x => x.Password).NotEmpty().MinimumLength(10).MaximumLength(128);
            RuleFor(x => x.DateOfBirth).NotEqual(default(DateOnly)).WithMessage("'dateOfBirth' is required (yyyy-mm-dd).");
            RuleFor(x => x.NhsNumber).MaximumLength(14);
        }
    }
}

public sealed record PatientRegistration(
    string GivenName, string FamilyName, DateOnly DateOfBirth, string Email, string Password, string? NhsNumber = null);

public sealed record RegisteredPatient(Guid PatientId, long Version);

/// <summary>Claims an NHS number (by its keyed hash) for one patient; the document id makes a second claim fail.</summary>
public sealed record NhsNumberClaim(string Id, Guid PatientId);
