using System.Text;
using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Projections.Clinical;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>A bulk export a system asked for: what, since when, and the instant it stands at.</summary>
public sealed record BulkExportJob(Guid Id, string ClientId, string[] Types, DateTimeOffset? Since, DateTimeOffset TransactionTime, string? GroupId, string Request);

/// <summary>
/// FHIR Bulk Data export (<c>$export</c>, for the NHS Talking Therapies monthly data set): kick-off with
/// <c>Prefer: respond-async</c> answers 202 and a status URL; the status answers the manifest of NDJSON files, one per
/// resource type. The files are written when they are fetched, from the read models as they stand then (nothing
/// personal is kept at rest in the clear), and only for patients whose consent to share is in force at that moment;
/// each patient exported is on their access log. <c>_since</c> keeps patients updated, scores completed and referrals
/// received since then; appointments are exported whole.
/// </summary>
public static class BulkExport
{
    public const string NdJson = "application/fhir+ndjson";
    public const string AllConsentedGroup = "consented-patients";
    private static readonly string[] Exportable = ["Patient", "Appointment", "Observation", "ServiceRequest"];

    public static Task<IResult> KickOff(HttpContext http, FhirCaller caller, IDocumentStore store, TimeProvider time, CancellationToken cancellation) =>
        KickOffAsync(http, null, caller, store, time, cancellation);

    public static Task<IResult> KickOffForGroup(HttpContext http, string id, FhirCaller caller, IDocumentStore store, TimeProvider time, CancellationToken cancellation) =>
        id == AllConsentedGroup
            ? KickOffAsync(http, id, caller, store, time, cancellation)
            : Task.FromResult(FhirResponses.NotFound("Group", id));

    private static async Task<IResult> KickOffAsync(
        HttpContext http, string? group, FhirCaller caller, IDocumentStore store, TimeProvider time, CancellationToken cancellation)
    {
        if (!caller.IsSystem)
        {
            return FhirResponses.Forbidden("Bulk export is for NHS system clients.");
        }

        if (!http.Request.Headers["Prefer"].ToString().Contains("respond-async", StringComparison.OrdinalIgnoreCase))
        {
            return FhirResponses.Invalid("A bulk export runs asynchronously: send 'Prefer: respond-async'.");
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "_type", "_since", "_outputFormat");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        if (search["_outputFormat"] is { } format && format is not (NdJson or "application/ndjson" or "ndjson"))
        {
            return FhirResponses.Invalid($"_outputFormat supports {NdJson}.");
        }

        var types = search["_type"]?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? Exportable;
        if (types.FirstOrDefault(t => !Exportable.Contains(t)) is { } unknown)
        {
            return FhirResponses.Invalid($"_type '{unknown}' cannot be exported; this server exports {string.Join(", ", Exportable)}.");
        }

        var refused = types.Where(t => !caller.MayRead(t)).ToArray();
        if (refused.Length > 0)
        {
            return caller.RefuseRead(refused[0]);
        }

        DateTimeOffset? since = null;
        if (search["_since"] is { } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return FhirResponses.Invalid("_since must be a FHIR instant.");
            }

            since = parsed.ToUniversalTime();
        }

        var job = new BulkExportJob(Guid.CreateVersion7(), caller.Actor.ClientId ?? caller.Actor.Id, types, since, time.GetUtcNow(), group,
            $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}{http.Request.QueryString}");
        await using var session = store.LightweightSession();
        session.Store(job);
        await session.SaveChangesAsync(cancellation);
        http.Response.Headers.ContentLocation = $"{http.Request.Scheme}://{http.Request.Host}/fhir/$export-status/{job.Id}";
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    public static async Task<IResult> Status(HttpContext http, Guid id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (await OwnJobAsync(id, caller, session, cancellation) is not { } job)
        {
            return FhirResponses.NotFound("$export-status", id.ToString());
        }

        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        return Results.Json(new
        {
            transactionTime = job.TransactionTime,
            request = job.Request,
            requiresAccessToken = true,
            output = job.Types.Select(t => new { type = t, url = $"{baseUrl}/fhir/$export-file/{job.Id}/{t}.ndjson" }).ToArray(),
            error = Array.Empty<object>(),
        });
    }

    public static async Task<IResult> Cancel(Guid id, FhirCaller caller, IDocumentStore store, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        if (await OwnJobAsync(id, caller, session, cancellation) is not { } job)
        {
            return FhirResponses.NotFound("$export-status", id.ToString());
        }

        session.Delete(job);
        await session.SaveChangesAsync(cancellation);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    public static async Task<IResult> File(HttpContext http, Guid id, string file, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        var type = file.EndsWith(".ndjson", StringComparison.Ordinal) ? file[..^".ndjson".Length] : file;
        if (await OwnJobAsync(id, caller, session, cancellation) is not { } job || !job.Types.Contains(type))
        {
            return FhirResponses.NotFound("$export-file", $"{id}/{file}");
        }

        // The token that fetches a file must grant its type, whatever the token that started the job granted.
        if (!caller.MayRead(type))
        {
            return caller.RefuseRead(type);
        }

        // Consent is judged now: a patient who withdrew since the kick-off is not in the file.
        var patients = await caller.VisibleAsync(await session.Query<ConsentRecord>().Select(c => c.PatientId).ToListAsync(cancellation), cancellation);
        var resources = new List<(Guid PatientId, string RecordType, Guid StreamId, R4.Resource Resource)>();
        switch (type)
        {
            case "Patient":
                foreach (var patientId in patients)
                {
                    if (await PatientResource.LoadAsync(session, patientId, null, cancellation) is { } patient && Changed(patient.Meta?.LastUpdated, job))
                    {
                        resources.Add((patientId, RecordTypes.Patient, patientId, patient));
                    }
                }

                break;
            case "Appointment":
                foreach (var entry in await session.Query<CalendarEntry>().Where(e => e.PatientId.IsOneOf(patients.ToArray())).ToListAsync(cancellation))
                {
                    resources.Add((entry.PatientId, RecordTypes.Appointment, entry.Id, FhirMapping.Appointment(entry, null)));
                }

                break;
            case "Observation":
                foreach (var history in await session.Query<OutcomeHistory>().Where(h => h.PatientId.IsOneOf(patients.ToArray())).ToListAsync(cancellation))
                {
                    foreach (var measure in history.Measures.Where(m => Changed(m.CompletedAt, job) && m.CompletedAt <= job.TransactionTime))
                    {
                        resources.Add((history.PatientId, RecordTypes.Outcomes, history.Id, FhirMapping.Observation(history.PatientId, measure)));
                    }
                }

                break;
            case "ServiceRequest":
                foreach (var episode in await session.Query<CareEpisode>().Where(e => e.PatientId.IsOneOf(patients.ToArray())).ToListAsync(cancellation))
                {
                    if (Changed(episode.ReferredAt, job))
                    {
                        resources.Add((episode.PatientId, RecordTypes.CareEpisode, episode.Id, FhirMapping.ServiceRequest(episode, 1, episode.ReferredAt)));
                    }
                }

                break;
        }

        await caller.LogAsync(resources.Select(r => (r.PatientId, r.RecordType, r.StreamId)), cancellation);
        var ndjson = new StringBuilder();
        foreach (var (_, _, _, resource) in resources)
        {
            ndjson.Append(FhirResponses.Serialize(resource)).Append('\n');
        }

        return Results.Text(ndjson.ToString(), NdJson, Encoding.UTF8);
    }

    private static bool Changed(DateTimeOffset? at, BulkExportJob job) => job.Since is null || at is null || at >= job.Since;

    private static async Task<BulkExportJob?> OwnJobAsync(Guid id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        var job = await session.LoadAsync<BulkExportJob>(id, cancellation);
        return job is not null && caller.IsSystem && job.ClientId == (caller.Actor.ClientId ?? caller.Actor.Id) ? job : null;
    }
}
