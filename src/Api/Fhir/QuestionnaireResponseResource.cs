using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Projections.Clinical;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// QuestionnaireResponse: a PHQ-9 or GAD-7 completed with an NHS service becomes an outcome measure (the server scores
/// it; a total sent with it is ignored); each measure reads back as the response the patient gave.
/// </summary>
public static class QuestionnaireResponseResource
{
    public const string Type = "QuestionnaireResponse";

    public static Task<IResult> Read(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        ObservationResource.ReadMeasureAsync(http, Type, id, caller, session, FhirMapping.QuestionnaireResponse, cancellation);

    public static async Task<IResult> Create(
        HttpContext http, FhirCaller caller, IDocumentStore store, MasterKey master, TimeProvider time, CancellationToken cancellation)
    {
        if (!caller.MayWrite(Type))
        {
            return FhirResponses.Forbidden($"This token does not grant creating {Type}: a system client needs 'system/{Type}.write'.");
        }

        var (json, notJson) = await FhirInbound.ReadJsonAsync(http.Request, cancellation);
        if (notJson is not null)
        {
            return notJson;
        }

        var (response, invalid) = FhirInbound.Parse<R4.QuestionnaireResponse>(json);
        if (invalid is not null)
        {
            return invalid;
        }

        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, http);
        var inbound = await PrepareAsync(response!, session, master, time, cancellation);
        return await FhirInbound.WriteAsync(http, caller, inbound, session,
            () => Task.FromResult(FhirResponses.Outcome(StatusCodes.Status409Conflict, R4.OperationOutcome.IssueType.Conflict,
                "Another measure for this patient was recorded at the same moment; send it again.")), cancellation);
    }

    /// <summary>A completed PHQ-9 or GAD-7 as the outcome it records, scored by the server.</summary>
    public static async Task<Inbound> PrepareAsync(
        R4.QuestionnaireResponse response, IDocumentSession session, MasterKey master, TimeProvider time, CancellationToken cancellation,
        Dictionary<Guid, JasperFx.Events.IEventStream<OutcomeHistory>>? streams = null)
    {
        var problems = new List<string>();
        var questionnaire = FhirMapping.QuestionnaireFrom(response.Questionnaire);
        if (questionnaire is null)
        {
            problems.Add($"QuestionnaireResponse.questionnaire: PHQ-9 ({FhirMapping.QuestionnaireUrl(Questionnaire.Phq9)}) or GAD-7 " +
                         $"({FhirMapping.QuestionnaireUrl(Questionnaire.Gad7)}); '{response.Questionnaire}' is not known here.");
        }

        if (response.Status != R4.QuestionnaireResponse.QuestionnaireResponseStatus.Completed)
        {
            problems.Add("QuestionnaireResponse.status: only a completed questionnaire is a measure.");
        }

        var answers = new List<int>();
        foreach (var item in response.Item)
        {
            var answer = item.Answer.FirstOrDefault()?.Value;
            int? score = answer switch
            {
                R4.Integer { Value: { } value } => value,
                R4.Coding { Code: { } code } when FhirMapping.LoincAnswers.TryGetValue(code, out var loinc) => loinc,
                R4.Coding { Code: { } code } when int.TryParse(code, out var number) => number,
                _ => null,
            };
            if (score is null)
            {
                problems.Add($"QuestionnaireResponse.item '{item.LinkId}': answer with valueInteger (0 to 3) or a LOINC answer (LA6568-5 ... LA6571-9).");
            }
            else
            {
                answers.Add(score.Value);
            }
        }

        var patientId = response.Subject is { } subject ? await FhirInbound.SubjectAsync(session, subject, master, cancellation) : null;
        if (patientId is null)
        {
            problems.Add("QuestionnaireResponse.subject: name a patient of the clinic, as Patient/{id} or by NHS number identifier.");
        }

        if (problems.Count > 0)
        {
            return Inbound.Refused(FhirInbound.Unprocessable(problems));
        }

        var completedAt = response.AuthoredElement?.ToDateTimeOffset(TimeSpan.Zero) is { } authored && authored <= time.GetUtcNow() ? authored : time.GetUtcNow();
        var measureId = Guid.CreateVersion7();
        var decision = RecordOutcome.Decide(patientId!.Value, measureId, new RecordOutcome(questionnaire!.Value, answers.ToArray()), completedAt);
        if (decision.Rejection is { } rejection)
        {
            return Inbound.Refused(FhirInbound.Unprocessable([rejection.Detail]));
        }

        var recorded = (OutcomeRecorded)decision.Events[0];
        var entry = new OutcomeEntry(measureId, recorded.Questionnaire, recorded.Total, recorded.Severity, recorded.RiskFlag, recorded.CompletedAt, null, recorded.Answers);
        // One stream per patient in a session: a Bundle may carry several measures for one patient.
        streams ??= [];
        if (!streams.TryGetValue(patientId.Value, out var stream))
        {
            stream = streams[patientId.Value] = await session.ForWritingAsync<OutcomeHistory>(RecordOutcome.StreamId(patientId.Value), cancellation);
        }

        return Inbound.Create(_ => stream.Append(decision), FhirMapping.QuestionnaireResponse(patientId.Value, entry), $"/fhir/{Type}/{measureId}/_history/1");
    }
}
