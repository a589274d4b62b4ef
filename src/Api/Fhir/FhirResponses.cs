using System.Text.Json;
using Hl7.Fhir.Serialization;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>Writing FHIR: resources with their ETag, search bundles, and every error as an OperationOutcome.</summary>
public static class FhirResponses
{
    public const string ContentType = "application/fhir+json";
    public const int MaxCount = 100;
    public const int DefaultCount = 20;

    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir();

    public static string Serialize(R4.Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Json);

    /// <summary>A resource with <c>ETag: W/"version"</c>; 304 when the client already holds that version.</summary>
    public static IResult Resource(HttpContext http, R4.Resource resource, int status = StatusCodes.Status200OK)
    {
        var etag = $"W/\"{resource.Meta?.VersionId ?? "1"}\"";
        http.Response.Headers.ETag = etag;
        if (resource.Meta?.LastUpdated is { } updated)
        {
            http.Response.Headers.LastModified = updated.ToString("R");
        }

        if (status == StatusCodes.Status200OK && HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.IfNoneMatch.Any(v => v == etag || v == etag[2..]))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Text(Serialize(resource), ContentType, statusCode: status);
    }

    public static IResult Outcome(int status, R4.OperationOutcome.IssueType code, string diagnostics) =>
        Results.Text(Serialize(OperationOutcome(code, diagnostics)), ContentType, statusCode: status);

    public static R4.OperationOutcome OperationOutcome(R4.OperationOutcome.IssueType code, string diagnostics) => new()
    {
        Issue = [new R4.OperationOutcome.IssueComponent { Severity = R4.OperationOutcome.IssueSeverity.Error, Code = code, Diagnostics = diagnostics }],
    };

    public static IResult NotFound(string type, string id) =>
        Outcome(StatusCodes.Status404NotFound, R4.OperationOutcome.IssueType.NotFound, $"{type}/{id} is not known to this server, or not to you.");

    public static IResult Forbidden(string detail) => Outcome(StatusCodes.Status403Forbidden, R4.OperationOutcome.IssueType.Forbidden, detail);

    public static IResult Invalid(string detail) => Outcome(StatusCodes.Status400BadRequest, R4.OperationOutcome.IssueType.Invalid, detail);

    /// <summary>A searchset page: the total, self/next/previous links, and the matches (plus included resources).</summary>
    public static IResult Searchset(
        HttpContext http, int total, int offset, int count, IEnumerable<R4.Resource> matches, IEnumerable<R4.Resource>? included = null)
    {
        var bundle = new R4.Bundle { Type = R4.Bundle.BundleType.Searchset, Total = total, Id = Guid.NewGuid().ToString(), Meta = new R4.Meta { LastUpdated = DateTimeOffset.UtcNow } };
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        string Link(int at)
        {
            var query = http.Request.Query.Where(q => q.Key is not "_offset")
                .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
                .Append($"_offset={at}");
            return $"{baseUrl}{http.Request.Path}?{string.Join('&', query)}";
        }

        bundle.Link.Add(new R4.Bundle.LinkComponent { Relation = "self", Url = Link(offset) });
        if (count > 0 && (long)offset + count < total)
        {
            bundle.Link.Add(new R4.Bundle.LinkComponent { Relation = "next", Url = Link(offset + count) });
        }

        if (offset > 0)
        {
            bundle.Link.Add(new R4.Bundle.LinkComponent { Relation = "previous", Url = Link(Math.Max(0, offset - count)) });
        }

        foreach (var resource in matches)
        {
            bundle.Entry.Add(Entry(baseUrl, resource, R4.Bundle.SearchEntryMode.Match));
        }

        foreach (var resource in included ?? [])
        {
            bundle.Entry.Add(Entry(baseUrl, resource, R4.Bundle.SearchEntryMode.Include));
        }

        return Results.Text(Serialize(bundle), ContentType);
    }

    /// <summary>An instance's history: every version, newest first, each with the interaction that made it.</summary>
    public static IResult History(HttpContext http, string type, string id, IReadOnlyList<R4.Resource> versions)
    {
        var bundle = new R4.Bundle { Type = R4.Bundle.BundleType.History, Total = versions.Count };
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            bundle.Entry.Add(new R4.Bundle.EntryComponent
            {
                FullUrl = $"{http.Request.Scheme}://{http.Request.Host}/fhir/{type}/{id}",
                Resource = versions[i],
                Request = new R4.Bundle.RequestComponent { Method = i == 0 ? R4.Bundle.HTTPVerb.POST : R4.Bundle.HTTPVerb.PUT, Url = $"{type}/{id}" },
                Response = new R4.Bundle.ResponseComponent { Status = i == 0 ? "201" : "200", Etag = $"W/\"{versions[i].Meta?.VersionId}\"" },
            });
        }

        return Results.Text(Serialize(bundle), ContentType);
    }

    private static R4.Bundle.EntryComponent Entry(string baseUrl, R4.Resource resource, R4.Bundle.SearchEntryMode mode) => new()
    {
        FullUrl = $"{baseUrl}/fhir/{resource.TypeName}/{resource.Id}",
        Resource = resource,
        Search = new R4.Bundle.SearchComponent { Mode = mode },
    };
}
