using System.Text.Json;
using Hl7.Fhir.Serialization;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Patients.Registration;
using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Integrations.Fhir;
using Marten;
using R4 = Hl7.Fhir.Model;

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

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellation);
        }
        catch (JsonException e)
        {
            return FhirResponses.Outcome(StatusCodes.Status400BadRequest, R4.OperationOutcome.IssueType.Structure, $"The body is not JSON: {e.Message}");
        }

        R4.ServiceRequest request;
        try
        {
            request = document.Deserialize<R4.ServiceRequest>(FhirResponses.Json) ?? throw new JsonException("The body is empty.");
        }
        catch (DeserializationFailedException e)
        {
            // Firely's parser checks the resource against R4 as it reads: each finding is an issue.
            return Unprocessable(e.Exceptions.Select(x => x.Message));
        }
        catch (Exception e) when (e is JsonException or InvalidCastException or NotSupportedException)
        {
            return Unprocessable([$"The body is not a FHIR R4 ServiceRequest: {e.Message}"]);
        }

        var problems = new List<string>();
        var identifier = request.Identifier.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.System) && !string.IsNullOrWhiteSpace(i.Value));
        if (identifier is null)
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

        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, http);
        var patientId = request.Subject is { } subject ? await SubjectAsync(session, subject, master, cancellation) : null;
        if (request.Subject is not null && patientId is null)
        {
            problems.Add("ServiceRequest.subject: name a patient of the clinic, as Patient/{id} or by NHS number identifier.");
        }

        var ods = request.Requester?.Identifier is { System: FhirMapping.OdsSystem } requester ? requester.Value : null;
        if (problems.Count > 0)
        {
            return Unprocessable(problems);
        }

        var key = $"{identifier!.System}|{identifier.Value}";
        if (http.Request.Headers.TryGetValue("If-None-Exist", out var condition) && condition.ToString() is { Length: > 0 } wanted
            && wanted != $"identifier={key}")
        {
            return FhirResponses.Invalid($"If-None-Exist supports identifier=<system>|<value> naming the request's own identifier ({key}).");
        }

        if (await session.LoadAsync<InboundReferral>(key, cancellation) is { } known)
        {
            return await ExistingAsync(http, session, known, cancellation);
        }

        var episodeId = Guid.CreateVersion7();
        var decision = ReceiveReferral.Decide(episodeId, patientId!.Value, new ReceiveReferral(ReferralSource.NhsService, reason!.Trim(), ods), time.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return Unprocessable([rejection.Detail]);
        }

        session.Events.StartStream<CareEpisode>(episodeId, decision.Events.ToArray());
        session.Insert(new InboundReferral(key, episodeId, patientId.Value));
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (Exception e) when (ClinicExceptionHandler.Classify(e).Status == StatusCodes.Status409Conflict)
        {
            // The same referral arrived twice at once; the other request opened the episode.
            await using var again = store.QuerySession();
            return await ExistingAsync(http, again, (await again.LoadAsync<InboundReferral>(key, cancellation))!, cancellation);
        }

        var episode = CareEpisode.Create((ReferralReceived)decision.Events[0]);
        http.Response.Headers.Location = $"/fhir/{Type}/{episodeId}/_history/1";
        return FhirResponses.Resource(http, FhirMapping.ServiceRequest(episode, 1, time.GetUtcNow()), StatusCodes.Status201Created);
    }

    private static async Task<IResult> ExistingAsync(HttpContext http, IQuerySession session, InboundReferral known, CancellationToken cancellation)
    {
        var episode = await session.LoadAsync<CareEpisode>(known.EpisodeId, cancellation);
        var state = await session.Events.FetchStreamStateAsync(known.EpisodeId, cancellation);
        http.Response.Headers.Location = $"/fhir/{Type}/{known.EpisodeId}/_history/{state!.Version}";
        return FhirResponses.Resource(http, FhirMapping.ServiceRequest(episode!, state.Version, state.LastTimestamp));
    }

    private static async Task<Guid?> SubjectAsync(IQuerySession session, R4.ResourceReference subject, MasterKey master, CancellationToken cancellation)
    {
        if (subject.Reference is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal)
            && Guid.TryParse(reference["Patient/".Length..], out var id))
        {
            var state = await session.Events.FetchStreamStateAsync(id, cancellation);
            return state?.AggregateType == typeof(Domain.Patients.Patient) ? id : null;
        }

        if (subject.Identifier is { System: FhirMapping.NhsNumberSystem, Value: { } number })
        {
            return (await session.LoadAsync<NhsNumberClaim>(master.HashNhsNumber(number.Trim()), cancellation))?.PatientId;
        }

        return null;
    }

    private static IResult Unprocessable(IEnumerable<string> problems) => Results.Text(FhirResponses.Serialize(new R4.OperationOutcome
    {
        Issue = problems.Select(p => new R4.OperationOutcome.IssueComponent
        {
            Severity = R4.OperationOutcome.IssueSeverity.Error, Code = R4.OperationOutcome.IssueType.Processing, Diagnostics = p,
        }).ToList(),
    }), FhirResponses.ContentType, statusCode: StatusCodes.Status422UnprocessableEntity);
}
