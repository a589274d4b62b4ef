using EventSourcedClinic.Domain.Clinical.Outcomes;

namespace EventSourcedClinic.Api.Clinical.Outcomes;

/// <summary>
/// A patient (or a therapist in their care, during a session) records a completed PHQ-9, GAD-7 or WSAS. Only the item
/// answers are taken; the server scores them. An outcome adds to the record and decides nothing from its state, so it
/// needs no expected version.
/// </summary>
public static class RecordOutcomeEndpoint
{
    public static ProblemDetails Validate(RecordOutcomeRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/patients/{patientId}/outcomes"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<RecordedOutcome>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public static async Task<IResult> Post(
        RecordOutcomeRequest command, Guid patientId, ClaimsPrincipal user, IDocumentSession session, PatientAccess access, TimeProvider time,
        CancellationToken cancellation)
    {
        if (await access.CheckAsync(Actor.From(user), patientId, session, cancellation) is { } refused)
        {
            return Results.Problem(refused);
        }

        if (!await PatientStreams.IsPatientAsync(session, patientId, cancellation))
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        // An outcome counted in an episode must belong to one of this patient's episodes.
        if (command.EpisodeId is { } episodeId)
        {
            var episode = await session.LoadAsync<Domain.Clinical.Episodes.CareEpisode>(episodeId, cancellation);
            if (episode is null || episode.PatientId != patientId)
            {
                return Results.Problem(Problems.From(Domain.Rejection.Unprocessable("unknown-episode", "That care episode is not this patient's.")));
            }
        }

        // Fetched for writing (by the write path), so that the event's version is known as the inline projection records it.
        var measureId = Guid.CreateVersion7();
        var written = await session.AppendAsync<Projections.Clinical.OutcomeHistory>(RecordOutcome.StreamId(patientId),
            _ => RecordOutcome.Decide(patientId, measureId, command, time.GetUtcNow()), cancellation);
        return written.Events is [OutcomeRecorded recorded]
            ? written.Created($"/api/patients/{patientId}/outcomes/{measureId}",
                new RecordedOutcome(measureId, recorded.Questionnaire, recorded.Total, recorded.Severity, recorded.RiskFlag, recorded.CompletedAt))
            : written.Ok();
    }

    public sealed class Validator : AbstractValidator<RecordOutcomeRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.Questionnaire).IsInEnum();
            RuleFor(x => x.Answers).NotNull().Must(a => a is null || a.Length <= 20).WithMessage("A questionnaire has at most 20 items.");
            RuleFor(x => x.EpisodeId).NotEqual(Guid.Empty).When(x => x.EpisodeId is not null);
        }
    }
}

public sealed record RecordedOutcome(Guid MeasureId, Questionnaire Questionnaire, int Total, string Severity, bool RiskFlag, DateTimeOffset CompletedAt);

/// <summary>The request body of <see cref="RecordOutcome"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record RecordOutcomeRequest(Questionnaire Questionnaire, int[] Answers, Guid? EpisodeId = null)
{
    public static implicit operator RecordOutcome(RecordOutcomeRequest request) => new(request.Questionnaire, request.Answers, request.EpisodeId);
}
