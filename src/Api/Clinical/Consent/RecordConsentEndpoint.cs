using EventSourcedClinic.Domain.Clinical.Consent;

namespace EventSourcedClinic.Api.Clinical.Consent;

/// <summary>
/// The patient gives or withdraws consent to a scope against a policy version. Only the patient decides; a decision
/// depends on no earlier one except to skip a repeat, so it needs no expected version.
/// </summary>
public static class RecordConsentEndpoint
{
    public static ProblemDetails Validate(RecordConsent command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/patients/{patientId}/consents"), Authorize(Roles = ClinicRoles.Patient)]
    public static async Task<IResult> Post(
        RecordConsent command, Guid patientId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        if (Actor.From(user).UserId != patientId)
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        return (await session.AppendAsync<ConsentRecord>(ConsentRecord.StreamId(patientId),
            consents => RecordConsent.Decide(patientId, consents, command, time.GetUtcNow()), cancellation)).Ok();
    }

    public sealed class Validator : AbstractValidator<RecordConsent>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.Scope).IsInEnum();
            RuleFor(x => x.PolicyVersion).NotEmpty().MaximumLength(50);
        }
    }
}
