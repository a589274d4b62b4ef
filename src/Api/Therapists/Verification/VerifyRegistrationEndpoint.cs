using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Verification;

namespace EventSourcedClinic.Api.Therapists.Verification;

/// <summary>The admin confirms a therapist's registration; only verified therapists are listed and bookable.</summary>
public static class VerifyRegistrationEndpoint
{
    public static ProblemDetails Validate(VerifyRegistrationRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/therapists/{therapistId}/verification"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(VerifyRegistrationRequest command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await session.ChangeAsync<Therapist>(therapistId, "therapist", command.ExpectedVersion,
            t => VerifyRegistration.Decide(t, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<VerifyRegistrationRequest>
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

/// <summary>The request body of <see cref="VerifyRegistration"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record VerifyRegistrationRequest(long ExpectedVersion, string CheckedAgainst) : IExpectVersion
{
    public static implicit operator VerifyRegistration(VerifyRegistrationRequest request) => new(request.ExpectedVersion, request.CheckedAgainst);
}
