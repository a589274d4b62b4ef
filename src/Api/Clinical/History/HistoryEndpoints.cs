using EventSourcedClinic.Domain.Clinical.History;

namespace EventSourcedClinic.Api.Clinical.History;

/// <summary>
/// Adds to a patient's health history: intake answers (the patient or their clinician), conditions, medications,
/// allergies and risk assessments (their clinician). History only grows, so an entry needs no expected version.
/// </summary>
public static class RecordHistoryEntryEndpoint
{
    public static ProblemDetails Validate(RecordHistoryEntryRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/patients/{patientId}/history"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<RecordedEntry>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(
        RecordHistoryEntryRequest command, Guid patientId, ClaimsPrincipal user, IDocumentSession session, PatientAccess access, TimeProvider time,
        CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        if (await access.CheckAsync(actor, patientId, session, cancellation) is { } refused)
        {
            return Results.Problem(refused);
        }

        var entryId = Guid.CreateVersion7();
        var written = await session.AppendAsync<ClinicalHistory>(ClinicalHistory.StreamId(patientId), history =>
            RecordHistoryEntry.Decide(patientId, history, command, entryId, actor.UserId!.Value, actor.Is(ClinicRoles.Patient), time.GetUtcNow()), cancellation);
        return written.Created($"/api/patients/{patientId}/history/{entryId}", new RecordedEntry(entryId, written.Version));
    }

    public sealed class Validator : AbstractValidator<RecordHistoryEntryRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.Kind).IsInEnum();
            RuleFor(x => x.Summary).NotEmpty().MaximumLength(500);
            RuleFor(x => x.Detail).MaximumLength(10_000);
            RuleFor(x => x.SnomedCode).Matches("^[0-9]{6,18}$").When(x => x.SnomedCode is not null).WithMessage("A SNOMED CT concept id is 6 to 18 digits.");
            RuleFor(x => x.RiskToSelf).IsInEnum().When(x => x.RiskToSelf is not null);
            RuleFor(x => x.RiskToOthers).IsInEnum().When(x => x.RiskToOthers is not null);
        }
    }
}

public sealed record RecordedEntry(Guid EntryId, long Version);

/// <summary>The request body of <see cref="RecordHistoryEntry"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record RecordHistoryEntryRequest(
    HistoryKind Kind,
    string Summary,
    string? Detail = null,
    string? SnomedCode = null,
    RiskLevel? RiskToSelf = null,
    RiskLevel? RiskToOthers = null,
    Guid? AmendsEntryId = null)
{
    public static implicit operator RecordHistoryEntry(RecordHistoryEntryRequest request) => new(
        request.Kind,
        request.Summary,
        request.Detail,
        request.SnomedCode,
        request.RiskToSelf,
        request.RiskToOthers,
        request.AmendsEntryId);
}

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
