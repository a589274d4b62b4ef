using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Projections.Clinical;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>Observation: each PHQ-9 and GAD-7 total (LOINC 44261-6, 70274-6) from the outcome histories; read and search by patient, code and date.</summary>
public static class ObservationResource
{
    public const string Type = "Observation";

    public static Task<IResult> Read(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        ReadMeasureAsync(http, Type, id, caller, session, FhirMapping.Observation, cancellation);

    /// <summary>
    /// One recorded measure, as the resource <paramref name="map"/> makes of it (the score as an Observation, the answers
    /// as a QuestionnaireResponse): found in the outcome histories, shown to those who may see the patient, logged.
    /// </summary>
    public static async Task<IResult> ReadMeasureAsync(
        HttpContext http, string type, string id, FhirCaller caller, IQuerySession session, Func<Guid, OutcomeEntry, R4.Resource> map,
        CancellationToken cancellation, bool asHistory = false)
    {
        if (!caller.MayRead(type))
        {
            return caller.RefuseRead(type);
        }

        if (!Guid.TryParse(id, out var measureId)
            || await session.Query<OutcomeHistory>().Where(h => h.Measures.Any(m => m.MeasureId == measureId)).FirstOrDefaultAsync(cancellation) is not { } history
            || !await caller.MaySeeAsync(history.PatientId, cancellation))
        {
            return FhirResponses.NotFound(type, id);
        }

        await caller.LogAsync([(history.PatientId, RecordTypes.Outcomes, history.Id)], cancellation);
        var resource = map(history.PatientId, history.Measures.Single(m => m.MeasureId == measureId));
        return asHistory ? FhirResponses.History(http, type, id, [resource]) : FhirResponses.Resource(http, resource);
    }

    public static async Task<IResult> Search(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead(Type))
        {
            return caller.RefuseRead(Type);
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "patient", "subject", "code", "date");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var (patientId, patientError) = search.Reference(search["patient"] is null ? "subject" : "patient", "Patient");
        var (from, to, dateError) = search.DateRange("date");
        if ((patientError ?? dateError) is { } invalid)
        {
            return FhirResponses.Invalid(invalid);
        }

        var codes = search["code"]?.Split(',').Select(c => c.Split('|')).ToArray();
        if (codes?.Any(c => c.Length == 2 && c[0] != FhirMapping.Loinc) == true)
        {
            return FhirResponses.Invalid($"code searches LOINC ({FhirMapping.Loinc}|{FhirMapping.Phq9TotalLoinc} or |{FhirMapping.Gad7TotalLoinc}).");
        }

        var wanted = codes?.Select(c => c[^1]).ToHashSet();
        var histories = patientId is { } one
            ? await session.Query<OutcomeHistory>().Where(h => h.PatientId == one).ToListAsync(cancellation)
            : await session.Query<OutcomeHistory>().ToListAsync(cancellation);
        var visible = await caller.VisibleAsync(histories.Select(h => h.PatientId), cancellation);
        var matches = histories.Where(h => visible.Contains(h.PatientId))
            .SelectMany(h => h.Measures.Select(m => (h.PatientId, StreamId: h.Id, Measure: m)))
            .Where(m => (wanted is null || wanted.Contains(FhirMapping.LoincFor(m.Measure.Questionnaire)))
                        && m.Measure.CompletedAt >= from && m.Measure.CompletedAt < to)
            .ToList();
        var ordered = search.Sort == "-date" ? matches.OrderByDescending(m => m.Measure.CompletedAt) : matches.OrderBy(m => m.Measure.CompletedAt);
        var page = ordered.Skip(search.Offset).Take(search.Count).ToArray();
        await caller.LogAsync(page.Select(m => (m.PatientId, RecordTypes.Outcomes, m.StreamId)), cancellation);
        return FhirResponses.Searchset(http, matches.Count, search.Offset, search.Count,
            page.Select(m => FhirMapping.Observation(m.PatientId, m.Measure)));
    }
}
