using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Projections.Clinical;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>EpisodeOfCare and Consent for one patient, and <c>Patient/{id}/$everything</c>: all the FHIR the clinic holds on them.</summary>
public static class CareResources
{
    public static async Task<IResult> ReadEpisode(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead("EpisodeOfCare"))
        {
            return caller.RefuseRead("EpisodeOfCare");
        }

        if (!Guid.TryParse(id, out var episodeId) || await session.LoadAsync<CareEpisode>(episodeId, cancellation) is not { } episode
            || !await caller.MaySeeAsync(episode.PatientId, cancellation))
        {
            return FhirResponses.NotFound("EpisodeOfCare", id);
        }

        var state = await session.Events.FetchStreamStateAsync(episodeId, cancellation);
        await caller.LogAsync([(episode.PatientId, RecordTypes.CareEpisode, episodeId)], cancellation);
        return FhirResponses.Resource(http, FhirMapping.EpisodeOfCare(episode, state!.Version, state.LastTimestamp));
    }

    public static Task<IResult> SearchEpisodes(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        PatientScopedSearch(http, "EpisodeOfCare", caller, session, ["status"], async (patientId, search) =>
        {
            var episodes = await session.Query<CareEpisode>().Where(e => e.PatientId == patientId).ToListAsync(cancellation);
            return episodes.Select(e => (RecordTypes.CareEpisode, e.Id, (R4.Resource)FhirMapping.EpisodeOfCare(e, 0, null)))
                .Where(m => search["status"] is not { } status
                            || Hl7.Fhir.Utility.EnumUtility.GetLiteral(((R4.EpisodeOfCare)m.Item3).Status) == status)
                .ToArray();
        }, cancellation);

    public static Task<IResult> SearchServiceRequests(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        PatientScopedSearch(http, "ServiceRequest", caller, session, ["status"], async (patientId, search) =>
            (await session.Query<CareEpisode>().Where(e => e.PatientId == patientId).OrderBy(e => e.ReferredAt).ToListAsync(cancellation))
            .Select(e => FhirMapping.ServiceRequest(e, 0, e.ReferredAt))
            .Where(r => search["status"] is not { } status || Hl7.Fhir.Utility.EnumUtility.GetLiteral(r.Status) == status)
            .Select(r => (RecordTypes.CareEpisode, Guid.Parse(r.Id!), (R4.Resource)r))
            .ToArray(), cancellation);

    public static Task<IResult> SearchQuestionnaireResponses(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        PatientScopedSearch(http, "QuestionnaireResponse", caller, session, ["questionnaire"], async (patientId, search) =>
        {
            var history = await session.LoadAsync<OutcomeHistory>(Domain.Clinical.Outcomes.RecordOutcome.StreamId(patientId), cancellation);
            return (history?.Measures ?? [])
                .Select(m => FhirMapping.QuestionnaireResponse(patientId, m))
                .Where(r => search["questionnaire"] is not { } questionnaire || r.Questionnaire == questionnaire)
                .Select(r => (RecordTypes.Outcomes, history!.Id, (R4.Resource)r))
                .ToArray();
        }, cancellation);

    /// <summary>A patient's secure messages as Communications (paged like any search), each read logged for the patient.</summary>
    public static Task<IResult> SearchCommunications(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        PatientScopedSearch(http, "Communication", caller, session, ["status"], async (patientId, search) =>
            (await CommunicationsAsync(http, session, patientId, cancellation))
            .Where(c => search["status"] is not { } status || Hl7.Fhir.Utility.EnumUtility.GetLiteral(c.Status) == status)
            .Select(c => (RecordTypes.Conversation, Domain.Messaging.Conversation.StreamId(patientId), (R4.Resource)c))
            .ToArray(), cancellation);

    public static async Task<IResult> ReadCommunication(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead("Communication"))
        {
            return caller.RefuseRead("Communication");
        }

        var parts = id.Split('-', 2);
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var patientId) || !int.TryParse(parts[1], out _)
            || !await caller.MaySeeAsync(patientId, cancellation)
            || (await CommunicationsAsync(http, session, patientId, cancellation)).FirstOrDefault(c => c.Id == id) is not { } communication)
        {
            return FhirResponses.NotFound("Communication", id);
        }

        await caller.LogAsync([(patientId, RecordTypes.Conversation, Domain.Messaging.Conversation.StreamId(patientId))], cancellation);
        return FhirResponses.Resource(http, communication);
    }

    private static async Task<R4.Communication[]> CommunicationsAsync(HttpContext http, IQuerySession session, Guid patientId, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(Domain.Messaging.Conversation.StreamId(patientId), token: cancellation);
        var retractedAt = events.Where(e => e.Data is Domain.Messaging.MessageRetracted)
            .ToDictionary(e => ((Domain.Messaging.MessageRetracted)e.Data).MessageId, e => e.Timestamp);
        var api = $"{http.Request.Scheme}://{http.Request.Host}/api/conversations/{patientId}/attachments/";
        return
        [
            .. Messaging.MessageView.From(events, new Dictionary<Guid, string>()).Select(m => FhirMapping.Communication(patientId, m.Sequence, m.SenderId,
                m.SenderRole.ToString(), m.Body, m.SentAt, m.Retracted, m.Attachments.Select(a => (a, api + a)),
                retractedAt.TryGetValue(m.MessageId, out var at) ? at : null)),
        ];
    }

    public static async Task<IResult> ReadConsent(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead("Consent"))
        {
            return caller.RefuseRead("Consent");
        }

        var parts = id.Split('-', 2);
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var patientId) || !await caller.MaySeeAsync(patientId, cancellation)
            || await ConsentsAsync(session, patientId, cancellation) is not { } consents
            || consents.FirstOrDefault(c => c.Id == id) is not { } consent)
        {
            return FhirResponses.NotFound("Consent", id);
        }

        await caller.LogAsync([(patientId, RecordTypes.Consent, ConsentRecord.StreamId(patientId))], cancellation);
        return FhirResponses.Resource(http, consent);
    }

    /// <summary>A consent scope's history: each decision the patient took on it, replayed from their consent stream.</summary>
    public static async Task<IResult> ConsentHistory(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead("Consent"))
        {
            return caller.RefuseRead("Consent");
        }

        var parts = id.Split('-', 2);
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var patientId) || !await caller.MaySeeAsync(patientId, cancellation))
        {
            return FhirResponses.NotFound("Consent", id);
        }

        var streamId = ConsentRecord.StreamId(patientId);
        var versions = new List<R4.Resource>();
        foreach (var e in await session.Events.FetchStreamAsync(streamId, token: cancellation))
        {
            var record = await session.Events.AggregateStreamAsync<ConsentRecord>(streamId, e.Version, token: cancellation);
            var decision = Enum.GetValues<ConsentScope>().Select(scope => record?.Current(scope)).OfType<ConsentDecision>()
                .FirstOrDefault(d => FhirMapping.ConsentId(patientId, d.Scope) == id);
            if (decision is not null && (versions.Count == 0 || ((R4.Consent)versions[^1]).DateTimeElement?.Value != new Hl7.Fhir.Model.FhirDateTime(decision.At).Value))
            {
                versions.Add(FhirMapping.Consent(patientId, decision, e.Version, decision.At));
            }
        }

        if (versions.Count == 0)
        {
            return FhirResponses.NotFound("Consent", id);
        }

        await caller.LogAsync([(patientId, RecordTypes.Consent, streamId)], cancellation);
        return FhirResponses.History(http, "Consent", id, versions);
    }

    public static Task<IResult> SearchConsents(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        PatientScopedSearch(http, "Consent", caller, session, ["status", "category"], async (patientId, search) =>
            (await ConsentsAsync(session, patientId, cancellation))
            .Where(c => search["status"] is not { } status || Hl7.Fhir.Utility.EnumUtility.GetLiteral(c.Status) == status)
            .Where(c => search["category"] is not { } category
                        || c.Category.SelectMany(x => x.Coding).Any(x => string.Equals(x.Code, category.Split('|')[^1], StringComparison.OrdinalIgnoreCase)))
            .Select(c => (RecordTypes.Consent, ConsentRecord.StreamId(patientId), (R4.Resource)c))
            .ToArray(), cancellation);

    private static async Task<R4.Consent[]> ConsentsAsync(IQuerySession session, Guid patientId, CancellationToken cancellation)
    {
        var record = await session.LoadAsync<ConsentRecord>(ConsentRecord.StreamId(patientId), cancellation);
        return record is null ? [] : Enum.GetValues<ConsentScope>().Select(record.Current).OfType<ConsentDecision>()
            .Select(d => FhirMapping.Consent(patientId, d, record.History.Length, d.At)).ToArray();
    }

    /// <summary>A search that needs a patient (<c>patient=</c>) the caller may see; everything found is logged for that patient.</summary>
    private static async Task<IResult> PatientScopedSearch(
        HttpContext http, string type, FhirCaller caller, IQuerySession session, string[] parameters,
        Func<Guid, FhirSearch, Task<(string RecordType, Guid StreamId, R4.Resource Resource)[]>> find, CancellationToken cancellation)
    {
        if (!caller.MayRead(type))
        {
            return caller.RefuseRead(type);
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, ["patient", .. parameters]);
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var (patientId, referenceError) = search.Reference("patient", "Patient");
        if (referenceError is not null || patientId is null)
        {
            return FhirResponses.Invalid(referenceError ?? $"{type} is searched by patient (patient=Patient/{{id}}).");
        }

        if (!await caller.MaySeeAsync(patientId.Value, cancellation))
        {
            return FhirResponses.Searchset(http, 0, search.Offset, search.Count, []);
        }

        var found = await find(patientId.Value, search);
        var page = found.Skip(search.Offset).Take(search.Count).ToArray();
        await caller.LogAsync(page.Select(f => (patientId.Value, f.RecordType, f.StreamId)), cancellation);
        return FhirResponses.Searchset(http, found.Length, search.Offset, search.Count, page.Select(f => f.Resource));
    }

    /// <summary>
    /// Everything about one patient: the Patient, their appointments, episodes and referrals, consents, scores and the
    /// questionnaires behind them; <c>_type</c> narrows, <c>_since</c> keeps what changed since, paged with <c>_count</c>.
    /// </summary>
    public static async Task<IResult> Everything(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead("Patient"))
        {
            return caller.RefuseRead("Patient");
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "_type", "_since");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        string[] known = ["Patient", "Appointment", "EpisodeOfCare", "ServiceRequest", "Consent", "Observation", "QuestionnaireResponse", "Communication"];
        var types = search["_type"]?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? known;
        if (types.FirstOrDefault(t => !known.Contains(t)) is { } unknown)
        {
            return FhirResponses.Invalid($"_type '{unknown}' is not part of $everything here; use {string.Join(", ", known)}.");
        }

        // Only the types the token may read.
        types = types.Where(caller.MayRead).ToArray();

        DateTimeOffset? since = null;
        if (search["_since"] is { } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return FhirResponses.Invalid("_since must be a FHIR instant.");
            }

            since = parsed.ToUniversalTime();
        }

        if (!Guid.TryParse(id, out var patientId) || !await caller.MaySeeAsync(patientId, cancellation)
            || await PatientResource.LoadAsync(session, patientId, null, cancellation) is not { } patient)
        {
            return FhirResponses.NotFound("Patient", id);
        }

        var all = new List<(string RecordType, Guid StreamId, DateTimeOffset? At, R4.Resource Resource)>
        {
            (RecordTypes.Patient, patientId, patient.Meta?.LastUpdated, patient),
        };
        foreach (var entry in await session.Query<CalendarEntry>().Where(e => e.PatientId == patientId).OrderBy(e => e.Start).ToListAsync(cancellation))
        {
            all.Add((RecordTypes.Appointment, entry.Id, entry.Start, FhirMapping.Appointment(entry, null)));
        }

        foreach (var episode in await session.Query<CareEpisode>().Where(e => e.PatientId == patientId).ToListAsync(cancellation))
        {
            all.Add((RecordTypes.CareEpisode, episode.Id, episode.ReferredAt, FhirMapping.EpisodeOfCare(episode, 0, null)));
            all.Add((RecordTypes.CareEpisode, episode.Id, episode.ReferredAt, FhirMapping.ServiceRequest(episode, 0, episode.ReferredAt)));
        }

        foreach (var consent in await ConsentsAsync(session, patientId, cancellation))
        {
            all.Add((RecordTypes.Consent, ConsentRecord.StreamId(patientId), consent.Meta?.LastUpdated, consent));
        }

        var history = await session.LoadAsync<OutcomeHistory>(Domain.Clinical.Outcomes.RecordOutcome.StreamId(patientId), cancellation);
        foreach (var measure in history?.Measures ?? [])
        {
            all.Add((RecordTypes.Outcomes, history!.Id, measure.CompletedAt, FhirMapping.Observation(patientId, measure)));
            all.Add((RecordTypes.Outcomes, history.Id, measure.CompletedAt, FhirMapping.QuestionnaireResponse(patientId, measure)));
        }

        foreach (var communication in await CommunicationsAsync(http, session, patientId, cancellation))
        {
            all.Add((RecordTypes.Conversation, Domain.Messaging.Conversation.StreamId(patientId), communication.Meta?.LastUpdated, communication));
        }

        var matches = all.Where(r => types.Contains(r.Resource.TypeName) && (since is null || r.At is null || r.At >= since)).ToList();
        var page = matches.Skip(search.Offset).Take(search.Count).ToArray();
        await caller.LogAsync(page.Select(r => (patientId, r.RecordType, r.StreamId)), cancellation);
        return FhirResponses.Searchset(http, matches.Count, search.Offset, search.Count, page.Select(r => r.Resource));
    }
}
