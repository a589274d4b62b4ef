using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>An NHS referral received once, under the sender's identifier: a resent referral finds the episode it opened.</summary>
public sealed record InboundReferral(string Id, Guid EpisodeId, Guid PatientId);

/// <summary>
/// ServiceRequest: a referral from an NHS Talking Therapies service opens a referral and care episode (the same command
/// as the REST API's). Conditional on the sender's identifier, so a referral sent twice opens one episode.
/// </summary>
public static class ServiceRequestResource
{
    public const string Type = "ServiceRequest";

    public static async Task<IResult> Read(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead(Type))
        {
            return caller.RefuseRead(Type);
        }

        if (!Guid.TryParse(id, out var episodeId) || await session.LoadAsync<CareEpisode>(episodeId, cancellation) is not { } episode
            || !await caller.MaySeeAsync(episode.PatientId, cancellation))
        {
            return FhirResponses.NotFound(Type, id);
        }

        var state = await session.Events.FetchStreamStateAsync(episodeId, cancellation);
        await caller.LogAsync([(episode.PatientId, RecordTypes.CareEpisode, episodeId)], cancellation);
        return FhirResponses.Resource(http, FhirMapping.ServiceRequest(episode, state!.Version, state.LastTimestamp));
    }

    public static async Task<IResult> Create(
        HttpContext http, FhirCaller caller, IDocumentStore store, MasterKey master, TimeProvider time, CancellationToken cancellation)
    {
        if (!caller.MayWrite(Type))
        {
            return FhirResponses.Forbidden("This token does not grant creating ServiceRequest: a system client needs 'system/ServiceRequest.write'.");
        }

        var (json, notJson) = await FhirInbound.ReadJsonAsync(http.Request, cancellation);
        if (notJson is not null)
        {
            return notJson;
        }

        var (request, invalid) = FhirInbound.Parse<R4.ServiceRequest>(json);
        if (invalid is not null)
        {
            return invalid;
        }

        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, http);
        var inbound = await PrepareAsync(request!, caller, http.Request.Headers["If-None-Exist"].ToString(), session, master, time, cancellation);
        return await FhirInbound.WriteAsync(http, caller, inbound, session, async () =>
        {
            // The same referral arrived twice at once; the other request opened the episode.
            await using var again = store.QuerySession();
            if (await again.LoadAsync<InboundReferral>(Key(caller, request!)!, cancellation) is not { } known)
            {
                return FhirResponses.Outcome(StatusCodes.Status409Conflict, R4.OperationOutcome.IssueType.Conflict,
                    "The referral met a concurrent change to the patient's record; send it again.");
            }

            var existing = await ExistingAsync(again, known, cancellation);
            http.Response.Headers.Location = $"{http.Request.Scheme}://{http.Request.Host}{existing.Location}";
            return FhirResponses.Resource(http, await caller.DiscloseAsync(existing.Existing!, cancellation));
        }, cancellation);
    }

    /// <summary>The sender's identifier as <c>system|value</c>, or null when it sent none.</summary>
    private static string? Identifier(R4.ServiceRequest request) =>
        request.Identifier.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.System) && !string.IsNullOrWhiteSpace(i.Value)) is { } identifier
            ? $"{identifier.System}|{identifier.Value}"
            : null;

    /// <summary>The identifier under the sending client: one system cannot reach another's referrals by guessing identifiers.</summary>
    private static string? Key(FhirCaller caller, R4.ServiceRequest request) =>
        Identifier(request) is { } identifier ? $"{caller.Actor.ClientId ?? caller.Actor.Id}|{identifier}" : null;

    /// <summary>A referral from an NHS service as the events it opens, or the episode a resend already opened.</summary>
    public static async Task<Inbound> PrepareAsync(
        R4.ServiceRequest request, FhirCaller caller, string? ifNoneExist, IDocumentSession session, MasterKey master, TimeProvider time,
        CancellationToken cancellation)
    {
        var problems = new List<string>();
        var identifier = Identifier(request);
        var key = Key(caller, request);
        if (key is null)
        {
            problems.Add("ServiceRequest.identifier: the sender's referral identifier (system and value) is required, so a resent referral is recognised.");
        }

        var reason = request.ReasonCode.Select(r => r.Text ?? r.Coding.FirstOrDefault()?.Display).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t))
                     ?? request.Note.FirstOrDefault()?.Text;
        if (string.IsNullOrWhiteSpace(reason))
        {
            problems.Add("ServiceRequest.reasonCode.text (or note): the presenting problem is required.");
        }

        if (request.Intent is null || request.Status is null || request.Subject is null)
        {
            problems.Add("ServiceRequest.status, intent and subject are required (FHIR R4).");
        }

        var patientId = request.Subject is { } subject ? await FhirInbound.SubjectAsync(session, subject, master, cancellation) : null;
        if (request.Subject is not null && patientId is null)
        {
            problems.Add("ServiceRequest.subject: name a patient of the clinic, as Patient/{id} or by NHS number identifier.");
        }

        if (problems.Count > 0)
        {
            return Inbound.Refused(FhirInbound.Unprocessable(problems));
        }

        if (ifNoneExist is { Length: > 0 } wanted && wanted != $"identifier={identifier}")
        {
            return Inbound.Refused(FhirResponses.Invalid($"If-None-Exist supports identifier=<system>|<value> naming the request's own identifier ({identifier})."));
        }

        if (await session.LoadAsync<InboundReferral>(key!, cancellation) is { } known)
        {
            return known.PatientId == patientId
                ? await ExistingAsync(session, known, cancellation)
                : Inbound.Refused(FhirResponses.Outcome(StatusCodes.Status409Conflict, R4.OperationOutcome.IssueType.Duplicate,
                    $"The identifier {identifier} already names a referral of yours for another patient."));
        }

        var ods = request.Requester?.Identifier is { System: FhirMapping.OdsSystem } requester ? requester.Value : null;
        var episodeId = Guid.CreateVersion7();
        var decision = ReceiveReferral.Decide(episodeId, patientId!.Value, new ReceiveReferral(ReferralSource.NhsService, reason!.Trim(), ods), time.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return Inbound.Refused(FhirInbound.Unprocessable([rejection.Detail]));
        }

        var episode = CareEpisode.From((ReferralReceived)decision.Events[0]);
        return Inbound.Create(write =>
        {
            write.Start<CareEpisode>(episodeId, decision);
            write.Insert(new InboundReferral(key!, episodeId, patientId.Value));
        }, FhirMapping.ServiceRequest(episode, 1, time.GetUtcNow()), $"/fhir/{Type}/{episodeId}/_history/1");
    }

    private static async Task<Inbound> ExistingAsync(IQuerySession session, InboundReferral known, CancellationToken cancellation)
    {
        var episode = await session.LoadAsync<CareEpisode>(known.EpisodeId, cancellation);
        var state = await session.Events.FetchStreamStateAsync(known.EpisodeId, cancellation);
        return Inbound.Known(FhirMapping.ServiceRequest(episode!, state!.Version, state.LastTimestamp), $"/fhir/{Type}/{known.EpisodeId}/_history/{state.Version}");
    }
}
