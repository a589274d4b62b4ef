using EventSourcedClinic.Domain.Clinical.History;

namespace EventSourcedClinic.Api.Clinical.History;

/// <summary>A clinician in the care team marks a history entry entered in error, with a reason.</summary>
public static class MarkHistoryEntryInErrorEndpoint
{
    public static ProblemDetails Validate(MarkHistoryEntryInError command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/patients/{patientId}/history/{entryId}/entered-in-error"), Authorize(Roles = ClinicRoles.Therapist)]
    public static async Task<IResult> Post(
        MarkHistoryEntryInError command, Guid patientId, Guid entryId, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        TimeProvider time, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        if (await access.CheckAsync(actor, patientId, session, cancellation) is { } refused)
        {
            return Results.Problem(refused);
        }

        var stream = await session.Events.FetchForWriting<ClinicalHistory>(ClinicalHistory.StreamId(patientId), cancellation);
        if (stream.Aggregate is not { } history)
        {
            return Results.Problem(Problems.NotFound("history entry"));
        }

        var decision = MarkHistoryEntryInError.Decide(history, entryId, command, actor.UserId!.Value, time.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return Results.Problem(Problems.From(rejection));
        }

        return Results.Ok(stream.Append(decision));
    }

    public sealed class Validator : AbstractValidator<MarkHistoryEntryInError>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(1_000);
    }
}
