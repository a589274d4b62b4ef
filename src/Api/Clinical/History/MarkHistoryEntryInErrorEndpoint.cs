using EventSourcedClinic.Domain.Clinical.History;

namespace EventSourcedClinic.Api.Clinical.History;

/// <summary>A clinician in the care team marks a history entry entered in error, with a reason.</summary>
public static class MarkHistoryEntryInErrorEndpoint
{
    public static ProblemDetails Validate(MarkHistoryEntryInErrorRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/patients/{patientId}/history/{entryId}/entered-in-error"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        MarkHistoryEntryInErrorRequest command, Guid patientId, Guid entryId, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        TimeProvider time, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        if (await access.CheckAsync(actor, patientId, session, cancellation) is { } refused)
        {
            return Results.Problem(refused);
        }

        return (await session.AppendAsync<ClinicalHistory>(ClinicalHistory.StreamId(patientId), history => history is null
            ? Rejection.NotFound("not-found", "No history entry with that id.")
            : MarkHistoryEntryInError.Decide(history, entryId, command, actor.UserId!.Value, time.GetUtcNow()), cancellation)).Ok();
    }

    public sealed class Validator : AbstractValidator<MarkHistoryEntryInErrorRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(1_000);
    }
}

/// <summary>The request body of <see cref="MarkHistoryEntryInError"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record MarkHistoryEntryInErrorRequest(string Reason)
{
    public static implicit operator MarkHistoryEntryInError(MarkHistoryEntryInErrorRequest request) => new(request.Reason);
}
