using System.Text.Json;
using EventSourcedClinic.Api.Patients.Registration;
using EventSourcedClinic.Api.PersonalData;
using Hl7.Fhir.Serialization;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// An inbound resource turned into domain events, prepared without writing: refused (an OperationOutcome), already
/// held (a resend), or ready to write into a session. A single create writes it alone; a transaction Bundle writes
/// every entry in one session, so that all are written or none.
/// </summary>
public sealed record Inbound(IResult? Refusal, R4.Resource? Existing, Action<IDocumentSession>? Write, R4.Resource? Created, string? Location)
{
    public static Inbound Refused(IResult refusal) => new(refusal, null, null, null, null);

    public static Inbound Known(R4.Resource existing, string location) => new(null, existing, null, null, location);

    public static Inbound Create(Action<IDocumentSession> write, R4.Resource created, string location) => new(null, null, write, created, location);
}

public static class FhirInbound
{
    /// <summary>Reads a body as JSON: 400 when it is not JSON at all.</summary>
    public static async Task<(JsonElement Json, IResult? Error)> ReadJsonAsync(HttpRequest request, CancellationToken cancellation)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellation);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, FhirResponses.Outcome(StatusCodes.Status400BadRequest, R4.OperationOutcome.IssueType.Structure, $"The body is not JSON: {e.Message}"));
        }
    }

    /// <summary>Parses a resource with Firely's parser, which checks it against R4 as it reads: each finding is a 422 issue.</summary>
    public static (T? Resource, IResult? Error) Parse<T>(JsonElement json) where T : R4.Resource
    {
        try
        {
            var resource = json.Deserialize<T>(FhirResponses.Json) ?? throw new JsonException("The body is empty.");
            // Then Firely's validator against base R4 (invariants, bindings, references), its errors as the 422's issues.
            if (FhirValidator.Errors(resource) is { Count: > 0 } errors)
            {
                return (null, Results.Text(FhirResponses.Serialize(new R4.OperationOutcome { Issue = errors.ToList() }), FhirResponses.ContentType,
                    statusCode: StatusCodes.Status422UnprocessableEntity));
            }

            return (resource, null);
        }
        catch (DeserializationFailedException e)
        {
            return (null, Unprocessable(e.Exceptions.Select(x => x.Message)));
        }
        catch (Exception e) when (e is JsonException or InvalidCastException or NotSupportedException or InvalidOperationException)
        {
            return (null, Unprocessable([$"The body is not a FHIR R4 {typeof(T).Name}: {e.Message}"]));
        }
    }

    public static IResult Unprocessable(IEnumerable<string> problems) => Results.Text(FhirResponses.Serialize(new R4.OperationOutcome
    {
        Issue = problems.Select(p => new R4.OperationOutcome.IssueComponent
        {
            Severity = R4.OperationOutcome.IssueSeverity.Error, Code = R4.OperationOutcome.IssueType.Processing, Diagnostics = p,
        }).ToList(),
    }), FhirResponses.ContentType, statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>The clinic's patient a reference names: <c>Patient/{id}</c>, or an NHS number identifier.</summary>
    public static async Task<Guid?> SubjectAsync(IQuerySession session, R4.ResourceReference subject, MasterKey master, CancellationToken cancellation)
    {
        if (subject.Reference is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal)
            && Guid.TryParse(reference["Patient/".Length..], out var id))
        {
            return await PatientStreams.IsPatientAsync(session, id, cancellation) ? id : null;
        }

        if (subject.Identifier is { System: FhirMapping.NhsNumberSystem, Value: { } number })
        {
            return (await session.LoadAsync<NhsNumberClaim>(master.HashNhsNumber(number.Trim()), cancellation))?.PatientId;
        }

        return null;
    }

    /// <summary>Writes one prepared resource on its own: 201 with the resource, or 200 with the one already held.</summary>
    public static async Task<IResult> WriteAsync(
        HttpContext http, FhirCaller caller, Inbound inbound, IDocumentSession session, Func<Task<IResult>> onRace, CancellationToken cancellation)
    {
        if (inbound.Refusal is { } refusal)
        {
            return refusal;
        }

        http.Response.Headers.Location = $"{http.Request.Scheme}://{http.Request.Host}{inbound.Location}";
        if (inbound.Existing is { } existing)
        {
            return FhirResponses.Resource(http, await caller.DiscloseAsync(existing, cancellation));
        }

        inbound.Write!(session);
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (Exception e) when (http.RequestServices.GetRequiredService<ProblemClassifier>().IsConflict(e))
        {
            return await onRace();
        }

        return FhirResponses.Resource(http, await caller.DiscloseAsync(inbound.Created!, cancellation), StatusCodes.Status201Created);
    }
}
