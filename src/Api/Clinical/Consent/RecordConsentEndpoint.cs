using EventSourcedClinic.Domain.Clinical.Consent;

namespace EventSourcedClinic.Api.Clinical.Consent;

/// <summary>
/// The patient gives or withdraws consent to a scope against a policy version. Only the patient decides; a decision
/// depends on no earlier one except to skip a repeat, so it needs no expected version.
/// </summary>
public static class RecordConsentEndpoint
{
    public static ProblemDetails Validate(RecordConsentRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/patients/{patientId}/consents"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        RecordConsentRequest command, Guid patientId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        if (Actor.From(user).UserId != patientId)
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        return (await session.AppendAsync<ConsentRecord>(ConsentRecord.StreamId(patientId),
            consents => RecordConsent.Decide(patientId, consents, command, time.GetUtcNow()), cancellation)).Ok();
    }

    public sealed class Validator : AbstractValidator<RecordConsentRequest>
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

/// <summary>The request body of <see cref="RecordConsent"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record RecordConsentRequest(ConsentScope Scope, bool Given, string PolicyVersion)
{
    public static implicit operator RecordConsent(RecordConsentRequest request) => new(request.Scope, request.Given, request.PolicyVersion);
}
