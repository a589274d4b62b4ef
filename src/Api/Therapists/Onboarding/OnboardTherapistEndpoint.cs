using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Onboarding;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace EventSourcedClinic.Api.Therapists.Onboarding;

/// <summary>
/// The admin onboards a therapist: the Therapist stream starts and a sign-in account is opened in the same
/// transaction. The answer carries a one-time token with which the therapist sets a password.
/// </summary>
public static class OnboardTherapistEndpoint
{
    public static ProblemDetails Validate(OnboardTherapistRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/therapists"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<OnboardedTherapist>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public static async Task<IResult> Post(
        OnboardTherapistRequest command, AccountOpening accounts, UserManager<ClinicUser> users, TimeProvider time, HttpContext http,
        CancellationToken cancellation)
    {
        var therapistId = Guid.CreateVersion7();
        var decision = OnboardTherapist.Decide(therapistId, command, time.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return Results.Problem(Problems.From(rejection));
        }

        var registered = (TherapistRegistered)decision.Events[0];
        var user = new ClinicUser
        {
            Id = therapistId, UserName = registered.Email, Email = registered.Email, DisplayName = registered.FullName,
            Role = ClinicRoles.Therapist,
        };
        try
        {
            var opened = await accounts.OpenAsync(
                user, password: null, session => session.Start<Therapist>(therapistId, decision),
                session => AuditStamp.Apply(session, http), cancellation);
            if (!opened.Succeeded)
            {
                return AccountOpening.IsDuplicate(opened)
                    ? Results.Problem(Problems.Conflict("email-taken", "An account with that e-mail address already exists."))
                    : Results.Problem(Problems.From(Domain.Rejection.Unprocessable("account", string.Join(" ", opened.Errors.Select(e => e.Description)))));
            }
        }
        catch (Exception e) when (IsRegistrationClash(e))
        {
            return Results.Problem(Problems.Conflict(
                "registration-number-taken", $"A therapist with {registered.ProfessionalBody} number {registered.RegistrationNumber} is already onboarded."));
        }

        var setupToken = await users.GeneratePasswordResetTokenAsync(user);
        return Results.Created($"/api/therapists/{therapistId}", new OnboardedTherapist(therapistId, 1, setupToken));
    }

    private static bool IsRegistrationClash(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg && pg.ConstraintName?.Contains("registration") == true
        || e.InnerException is { } inner && IsRegistrationClash(inner);

    public sealed class Validator : AbstractValidator<OnboardTherapistRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.FullName).NotEmpty().MaximumLength(TherapistRules.MaxNameLength);
            RuleFor(x => x.Email).NotEmpty().MaximumLength(254).EmailAddress();
            RuleFor(x => x.ProfessionalBody).IsInEnum();
            RuleFor(x => x.RegistrationNumber).NotEmpty().MaximumLength(20);
        }
    }
}

/// <summary>The new therapist's id, stream version, and the one-time token to set their password with.</summary>
public sealed record OnboardedTherapist(Guid TherapistId, long Version, string PasswordSetupToken);

/// <summary>The request body of <see cref="OnboardTherapist"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record OnboardTherapistRequest(string FullName, string Email, ProfessionalBody ProfessionalBody, string RegistrationNumber)
{
    public static implicit operator OnboardTherapist(OnboardTherapistRequest request) =>
        new(request.FullName, request.Email, request.ProfessionalBody, request.RegistrationNumber);
}
