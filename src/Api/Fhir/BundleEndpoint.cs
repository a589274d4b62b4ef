using EventSourcedClinic.Api.PersonalData;
using JasperFx.Events;
using EventSourcedClinic.Projections.Clinical;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// <c>POST /fhir</c> with a batch or transaction Bundle of referrals and questionnaire responses. A transaction is all or
/// nothing: every entry is prepared first, any refusal refuses the whole Bundle, and all are written in one session.
/// A batch answers each entry on its own.
/// </summary>
public static class BundleEndpoint
{
    public const int MaxEntries = 100;

    public static async Task<IResult> Post(
        HttpContext http, FhirCaller caller, IDocumentStore store, MasterKey master, TimeProvider time, CancellationToken cancellation)
    {
        var (json, notJson) = await FhirInbound.ReadJsonAsync(http.Request, cancellation);
        if (notJson is not null)
        {
            return notJson;
        }

        var (bundle, invalid) = FhirInbound.Parse<R4.Bundle>(json);
        if (invalid is not null)
        {
            return invalid;
        }

        if (bundle!.Type is not (R4.Bundle.BundleType.Batch or R4.Bundle.BundleType.Transaction))
        {
            return FhirResponses.Invalid("POST /fhir takes a Bundle of type batch or transaction.");
        }

        if (bundle.Entry.Count > MaxEntries)
        {
            return FhirResponses.Invalid($"A Bundle may carry at most {MaxEntries} entries; this one has {bundle.Entry.Count}.");
        }

        var transaction = bundle.Type == R4.Bundle.BundleType.Transaction;
        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, http);
        var streams = new Dictionary<Guid, IEventStream<OutcomeHistory>>();
        var prepared = new List<Inbound>();
        foreach (var (entry, index) in bundle.Entry.Select((e, i) => (e, i)))
        {
            if (transaction)
            {
                var inbound = await PrepareAsync(entry, caller, session, master, time, streams, cancellation);
                if (inbound.Refusal is { } refusal)
                {
                    // One refusal refuses the transaction; say which entry.
                    http.Response.Headers["X-Bundle-Entry"] = index.ToString();
                    return refusal;
                }

                prepared.Add(inbound);
                continue;
            }

            // A batch writes entry by entry; one that fails does not undo the others.
            await using var own = store.LightweightSession();
            AuditStamp.Apply(own, http);
            var single = await PrepareAsync(entry, caller, own, master, time, [], cancellation);
            if (single.Write is { } write)
            {
                write(own);
                try
                {
                    await own.SaveChangesAsync(cancellation);
                }
                catch (Exception e) when (http.RequestServices.GetRequiredService<ProblemClassifier>().IsConflict(e))
                {
                    single = Inbound.Refused(FhirResponses.Outcome(StatusCodes.Status409Conflict, R4.OperationOutcome.IssueType.Conflict,
                        "The entry met a concurrent write; send it again."));
                }
            }

            prepared.Add(single);
        }

        if (transaction)
        {
            foreach (var inbound in prepared)
            {
                inbound.Write?.Invoke(session);
            }

            await session.SaveChangesAsync(cancellation);
        }

        var response = new R4.Bundle { Type = transaction ? R4.Bundle.BundleType.TransactionResponse : R4.Bundle.BundleType.BatchResponse };
        foreach (var inbound in prepared)
        {
            response.Entry.Add(await EntryAsync(http, caller, inbound, cancellation));
        }

        return Results.Text(FhirResponses.Serialize(response), FhirResponses.ContentType);
    }

    private static async Task<Inbound> PrepareAsync(
        R4.Bundle.EntryComponent entry, FhirCaller caller, IDocumentSession session, MasterKey master, TimeProvider time,
        Dictionary<Guid, IEventStream<OutcomeHistory>> streams, CancellationToken cancellation)
    {
        if (entry.Request?.Method != R4.Bundle.HTTPVerb.POST)
        {
            return Inbound.Refused(FhirResponses.Outcome(StatusCodes.Status405MethodNotAllowed, R4.OperationOutcome.IssueType.NotSupported,
                "Bundle entries may only create (POST) ServiceRequest and QuestionnaireResponse."));
        }

        return entry.Resource switch
        {
            R4.ServiceRequest request when caller.MayWrite(ServiceRequestResource.Type) =>
                await ServiceRequestResource.PrepareAsync(request, caller, entry.Request.IfNoneExist, session, master, time, cancellation),
            R4.QuestionnaireResponse answers when caller.MayWrite(QuestionnaireResponseResource.Type) =>
                await QuestionnaireResponseResource.PrepareAsync(answers, session, master, time, cancellation, streams),
            R4.ServiceRequest or R4.QuestionnaireResponse =>
                Inbound.Refused(FhirResponses.Forbidden($"This token does not grant creating {entry.Resource.TypeName}.")),
            _ => Inbound.Refused(FhirResponses.Outcome(StatusCodes.Status405MethodNotAllowed, R4.OperationOutcome.IssueType.NotSupported,
                $"Bundle entries may only create ServiceRequest and QuestionnaireResponse, not {entry.Resource?.TypeName ?? "nothing"}.")),
        };
    }

    private static async Task<R4.Bundle.EntryComponent> EntryAsync(HttpContext http, FhirCaller caller, Inbound inbound, CancellationToken cancellation)
    {
        if (inbound.Refusal is { } refusal)
        {
            // Render the refusal to read its status and OperationOutcome back.
            var probe = new DefaultHttpContext { RequestServices = http.RequestServices };
            probe.Response.Body = new MemoryStream();
            await refusal.ExecuteAsync(probe);
            probe.Response.Body.Position = 0;
            var outcome = await System.Text.Json.JsonSerializer.DeserializeAsync<R4.OperationOutcome>(probe.Response.Body, FhirResponses.Json);
            return new R4.Bundle.EntryComponent { Response = new R4.Bundle.ResponseComponent { Status = probe.Response.StatusCode.ToString(), Outcome = outcome } };
        }

        var resource = inbound.Created ?? inbound.Existing!;
        var disclosed = await caller.DiscloseAsync(resource, cancellation);
        return new R4.Bundle.EntryComponent
        {
            FullUrl = $"{http.Request.Scheme}://{http.Request.Host}/fhir/{resource.TypeName}/{resource.Id}",
            Resource = disclosed is R4.OperationOutcome ? null : disclosed,
            Response = new R4.Bundle.ResponseComponent
            {
                Status = inbound.Created is not null ? "201 Created" : "200 OK",
                Location = $"{http.Request.Scheme}://{http.Request.Host}{inbound.Location}",
                Outcome = disclosed as R4.OperationOutcome,
                Etag = $"W/\"{resource.Meta?.VersionId ?? "1"}\"",
            },
        };
    }
}
