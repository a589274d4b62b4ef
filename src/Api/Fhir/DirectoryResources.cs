using EventSourcedClinic.Api.Therapists.Directory;
using EventSourcedClinic.Projections.Therapists;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// The public directory as FHIR: Practitioner, PractitionerRole (specialty by therapy method, SNOMED CT where the
/// concept is certain; language) and the clinic's HealthcareService. Listed therapists only, as the REST directory.
/// </summary>
public static class DirectoryResources
{
    public static async Task<IResult> ReadPractitioner(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        await ReadAsync(http, id, "Practitioner", caller, session, FhirMapping.Practitioner, cancellation);

    public static async Task<IResult> ReadRole(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation) =>
        await ReadAsync(http, id, "PractitionerRole", caller, session, FhirMapping.PractitionerRole, cancellation);

    private static async Task<IResult> ReadAsync(
        HttpContext http, string id, string type, FhirCaller caller, IQuerySession session, Func<TherapistDirectoryEntry, R4.Resource> map,
        CancellationToken cancellation)
    {
        if (!caller.MayRead(type))
        {
            return caller.RefuseRead(type);
        }

        return Guid.TryParse(id, out var therapistId) && await session.LoadAsync<TherapistDirectoryEntry>(therapistId, cancellation) is { IsListed: true } entry
            ? FhirResponses.Resource(http, map(entry))
            : FhirResponses.NotFound(type, id);
    }

    public static async Task<IResult> SearchPractitioners(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead("Practitioner"))
        {
            return caller.RefuseRead("Practitioner");
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "name", "identifier", "_id");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var listed = await SearchDirectoryEndpoint.Listed(session, null, null, null, null, null).ToListAsync(cancellation);
        var matches = listed
            .Where(t => search["name"] is not { } name || t.FullName.Contains(name, StringComparison.OrdinalIgnoreCase))
            .Where(t => search["identifier"] is not { } identifier || t.RegistrationNumber == identifier.Split('|')[^1])
            .Where(t => search["_id"] is not { } id || t.Id.ToString() == id)
            .OrderBy(t => t.FullName).ThenBy(t => t.Id).ToList();
        return FhirResponses.Searchset(http, matches.Count, search.Offset, search.Count,
            matches.Skip(search.Offset).Take(search.Count).Select(FhirMapping.Practitioner));
    }

    public static async Task<IResult> SearchRoles(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead("PractitionerRole"))
        {
            return caller.RefuseRead("PractitionerRole");
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "specialty", "language", "practitioner", "active", "_include");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        if (search["_include"] is { } include && include != "PractitionerRole:practitioner")
        {
            return FhirResponses.Invalid("_include supports PractitionerRole:practitioner.");
        }

        var (practitionerId, referenceError) = search.Reference("practitioner", "Practitioner");
        if (referenceError is not null)
        {
            return FhirResponses.Invalid(referenceError);
        }

        var specialty = search["specialty"]?.Split('|')[^1];
        var language = search["language"]?.Trim().ToLowerInvariant();
        // The REST directory's own filter: listed therapists, by language in the database.
        var listed = await SearchDirectoryEndpoint.Listed(session, language, null, null, null, null).ToListAsync(cancellation);
        var matches = listed
            .Where(t => practitionerId is null || t.Id == practitionerId)
            .Select(t => (Entry: t, Role: FhirMapping.PractitionerRole(t)))
            .Where(m => specialty is null || m.Role.Specialty.SelectMany(c => c.Coding).Any(c => c.Code == specialty))
            .OrderBy(m => m.Entry.FullName).ThenBy(m => m.Entry.Id).ToList();
        var page = matches.Skip(search.Offset).Take(search.Count).ToArray();
        return FhirResponses.Searchset(http, matches.Count, search.Offset, search.Count, page.Select(m => m.Role),
            search.Includes("PractitionerRole:practitioner") && caller.MayRead("Practitioner") ? page.Select(m => FhirMapping.Practitioner(m.Entry)) : null);
    }

    public static IResult ReadService(HttpContext http, string id, FhirCaller caller) =>
        !caller.MayRead("HealthcareService") ? caller.RefuseRead("HealthcareService")
        : id == FhirMapping.ClinicService ? FhirResponses.Resource(http, FhirMapping.HealthcareService(null))
        : FhirResponses.NotFound("HealthcareService", id);

    public static IResult SearchServices(HttpContext http, FhirCaller caller)
    {
        if (!caller.MayRead("HealthcareService"))
        {
            return caller.RefuseRead("HealthcareService");
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "_id", "name");
        return search is null
            ? FhirResponses.Invalid(error!)
            : FhirResponses.Searchset(http, 1, 0, search.Count, search.Count == 0 ? [] : [FhirMapping.HealthcareService(null)]);
    }
}
