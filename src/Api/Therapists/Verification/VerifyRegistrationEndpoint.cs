using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Verification;

namespace EventSourcedClinic.Api.Therapists.Verification;

/// <summary>The admin confirms a therapist's registration; only verified therapists are listed and bookable.</summary>
public static class VerifyRegistrationEndpoint
{
    public static ProblemDetails Validate(VerifyRegistration command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/therapists/{therapistId}/verification"), Authorize(Roles = ClinicRoles.Admin)]
    public static async Task<IResult> Post(VerifyRegistration command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await session.ChangeAsync<Therapist>(therapistId, "therapist", command.ExpectedVersion,
            t => VerifyRegistration.Decide(t, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<VerifyRegistration>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).StreamVersion();
            RuleFor(x => x.CheckedAgainst).NotEmpty().MaximumLength(TherapistRules.MaxReasonLength);
        }
    }
}
