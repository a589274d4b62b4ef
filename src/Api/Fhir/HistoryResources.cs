using EventSourcedClinic.Domain.Clinical.History;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// Condition, MedicationStatement and AllergyIntolerance from the patient's health history. The version of each is
/// the history stream's: <c>_history/{vid}</c> replays the stream to that version, so an entry read before it was
/// marked entered in error reads as it was, and <c>_history</c> lists each version in which it changed.
/// </summary>
public static class HistoryResources
{
    private static readonly Dictionary<string, HistoryKind> Kinds = new()
    {
        ["Condition"] = HistoryKind.Condition, ["MedicationStatement"] = HistoryKind.Medication, ["AllergyIntolerance"] = HistoryKind.Allergy,
    };

    public static IEnumerable<string> Types => Kinds.Keys;

    public static void Map(RouteGroupBuilder fhir)
    {
        foreach (var type in Kinds.Keys)
        {
            fhir.MapGet($"/{type}", (HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken c) => Search(http, type, caller, session, c));
            fhir.MapGet($"/{type}/{{id}}", (HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken c) =>
                Read(http, type, id, null, caller, session, c));
            fhir.MapGet($"/{type}/{{id}}/_history/{{vid:long}}", (HttpContext http, string id, long vid, FhirCaller caller, IQuerySession session, CancellationToken c) =>
                Read(http, type, id, vid, caller, session, c));
            fhir.MapGet($"/{type}/{{id}}/_history", (HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken c) =>
                History(http, type, id, caller, session, c));
        }
    }

    private static async Task<(Guid PatientId, ClinicalHistory History)?> FindAsync(IQuerySession session, Guid entryId, CancellationToken cancellation) =>
        await session.Query<ClinicalHistory>().Where(h => h.Entries.Any(e => e.EntryId == entryId)).FirstOrDefaultAsync(cancellation) is { } history
            ? (history.PatientId, history)
            : null;

    private static async Task<IResult> Read(HttpContext http, string type, string id, long? vid, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        var (entryId, found, refused) = await VisibleEntryAsync(type, id, caller, session, cancellation);
        if (refused is not null)
        {
            return refused;
        }

        var resources = await VersionsAsync(session, type, entryId, found.PatientId, found.History.Id, cancellation);
        var resource = vid is null ? resources.LastOrDefault() : resources.FirstOrDefault(r => r.Meta?.VersionId == vid.ToString());
        if (resource is null)
        {
            return FhirResponses.NotFound(type, vid is null ? id : $"{id}/_history/{vid}");
        }

        await caller.LogAsync([(found.PatientId, RecordTypes.History, found.History.Id)], cancellation);
        return FhirResponses.Resource(http, resource);
    }

    private static async Task<IResult> History(HttpContext http, string type, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        var (entryId, found, refused) = await VisibleEntryAsync(type, id, caller, session, cancellation);
        if (refused is not null)
        {
            return refused;
        }

        var versions = await VersionsAsync(session, type, entryId, found.PatientId, found.History.Id, cancellation);
        await caller.LogAsync([(found.PatientId, RecordTypes.History, found.History.Id)], cancellation);
        return FhirResponses.History(http, type, id, versions);
    }

    /// <summary>The entry the caller asks for, when the token may read its type and the caller may see its patient; else the refusal.</summary>
    private static async Task<(Guid EntryId, (Guid PatientId, ClinicalHistory History) Found, IResult? Refused)> VisibleEntryAsync(
        string type, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead(type))
        {
            return (default, default, caller.RefuseRead(type));
        }

        return Guid.TryParse(id, out var entryId) && await FindAsync(session, entryId, cancellation) is { } found
            && await caller.MaySeeAsync(found.PatientId, cancellation)
            ? (entryId, found, null)
            : (default, default, FhirResponses.NotFound(type, id));
    }

    /// <summary>The entry as each version of the history stream that changed it showed it, oldest first.</summary>
    private static async Task<List<R4.Resource>> VersionsAsync(
        IQuerySession session, string type, Guid entryId, Guid patientId, Guid streamId, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(streamId, token: cancellation);
        var versions = new List<R4.Resource>();
        ClinicalHistory? state = null;
        HistoryEntry? previous = null;
        foreach (var e in events)
        {
            state = e.Data switch
            {
                HistoryEntryRecorded recorded => state is null ? ClinicalHistory.From(recorded) : state.When(recorded),
                HistoryEntryEnteredInError error when state is not null => state.When(error),
                _ => state,
            };
            var entry = state?.Entries.FirstOrDefault(x => x.EntryId == entryId);
            if (entry is null || Equals(entry, previous) || entry.Kind != Kinds[type])
            {
                continue;
            }

            previous = entry;
            versions.Add(FhirMapping.HistoryEntry(patientId, entry, e.Version, e.Timestamp)!);
        }

        return versions;
    }

    private static async Task<IResult> Search(HttpContext http, string type, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead(type))
        {
            return caller.RefuseRead(type);
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "patient");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var (patientId, referenceError) = search.Reference("patient", "Patient");
        if (referenceError is not null || patientId is null)
        {
            return FhirResponses.Invalid(referenceError ?? $"{type} is searched by patient (patient=Patient/{{id}}).");
        }

        var history = await caller.MaySeeAsync(patientId.Value, cancellation)
            ? await session.LoadAsync<ClinicalHistory>(ClinicalHistory.StreamId(patientId.Value), cancellation)
            : null;
        var state = history is null ? null : await session.Events.FetchStreamStateAsync(history.Id, cancellation);
        var matches = (history?.Entries ?? []).Where(e => e.Kind == Kinds[type])
            .Select(e => FhirMapping.HistoryEntry(patientId.Value, e, state!.Version, state.LastTimestamp)!).ToList();
        var page = matches.Skip(search.Offset).Take(search.Count).ToArray();
        if (page.Length > 0)
        {
            await caller.LogAsync([(patientId.Value, RecordTypes.History, history!.Id)], cancellation);
        }

        return FhirResponses.Searchset(http, matches.Count, search.Offset, search.Count, page);
    }
}
