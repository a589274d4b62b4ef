using EventSourcedClinic.Api.Clinical;
using EventSourcedClinic.Api.Patients.Registration;
using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Domain.Clinical.Consent;
using DomainPatient = EventSourcedClinic.Domain.Patients.Patient;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>Patient: read, vread, history and search by NHS number, name, birth date or id, from the patient's stream.</summary>
public static class PatientResource
{
    public const string Type = "Patient";

    public static async Task<IResult> Read(HttpContext http, string id, long? vid, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead(Type))
        {
            return caller.RefuseRead(Type);
        }

        if (!Guid.TryParse(id, out var patientId) || !await caller.MaySeeAsync(patientId, cancellation)
            || await LoadAsync(session, patientId, vid, cancellation) is not { } resource)
        {
            return vid is null ? FhirResponses.NotFound(Type, id) : FhirResponses.NotFound(Type, $"{id}/_history/{vid}");
        }

        await caller.LogAsync([(patientId, RecordTypes.Patient, patientId)], cancellation);
        return FhirResponses.Resource(http, resource);
    }

    /// <summary>The patient as FHIR at a version of their stream (default: the latest), or null when there is no such patient or version.</summary>
    public static async Task<R4.Patient?> LoadAsync(IQuerySession session, Guid patientId, long? version, CancellationToken cancellation)
    {
        var state = await session.Events.FetchStreamStateAsync(patientId, cancellation);
        if (state?.AggregateType != typeof(DomainPatient) || version is < 1 || version > state.Version)
        {
            return null;
        }

        var at = version ?? state.Version;
        var events = await session.Events.FetchStreamAsync(patientId, at, token: cancellation);
        var patient = await session.Events.AggregateStreamAsync<DomainPatient>(patientId, at, token: cancellation);
        return patient is null ? null : FhirMapping.Patient(patient, at, events[^1].Timestamp);
    }

    public static async Task<IResult> Search(
        HttpContext http, FhirCaller caller, IQuerySession session, MasterKey master, CancellationToken cancellation)
    {
        if (!caller.MayRead(Type))
        {
            return caller.RefuseRead(Type);
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "identifier", "name", "birthdate", "_id");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        IEnumerable<Guid> candidates;
        if (search["_id"] is { } idText)
        {
            candidates = Guid.TryParse(idText, out var id) ? [id] : [];
        }
        else if (search["identifier"] is { } identifier)
        {
            var parts = identifier.Split('|', 2);
            if (parts.Length == 2 && parts[0].Length > 0 && parts[0] != FhirMapping.NhsNumberSystem)
            {
                return FhirResponses.Invalid($"identifier searches the NHS number ({FhirMapping.NhsNumberSystem}|<number>).");
            }

            var claim = await session.LoadAsync<NhsNumberClaim>(master.HashNhsNumber(parts[^1].Trim()), cancellation);
            candidates = claim is null ? [] : [claim.PatientId];
        }
        else
        {
            candidates = await CandidatesAsync(caller, session, cancellation);
        }

        var visible = await caller.VisibleAsync(candidates, cancellation);
        var name = search["name"]?.Trim();
        var birthdate = search["birthdate"]?.Trim();
        var matches = new List<R4.Patient>();
        foreach (var id in visible)
        {
            if (await LoadAsync(session, id, null, cancellation) is not { } patient)
            {
                continue;
            }

            var names = patient.Name.SelectMany(n => n.Given.Append(n.Family)).OfType<string>();
            if ((name is { Length: > 0 } && !names.Any(n => n.Contains(name, StringComparison.OrdinalIgnoreCase)))
                || (birthdate is { Length: > 0 } && patient.BirthDate != birthdate))
            {
                continue;
            }

            matches.Add(patient);
        }

        var page = matches.OrderBy(p => p.Name.FirstOrDefault()?.Family).ThenBy(p => p.Id).Skip(search.Offset).Take(search.Count).ToArray();
        await caller.LogAsync(page.Select(p => (Guid.Parse(p.Id!), RecordTypes.Patient, Guid.Parse(p.Id!))), cancellation);
        return FhirResponses.Searchset(http, matches.Count, search.Offset, search.Count, page);
    }

    /// <summary>Whom a search without an identifier looks through: consenting patients for a system, the care team's for a therapist.</summary>
    private static async Task<IEnumerable<Guid>> CandidatesAsync(FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (caller.IsSystem)
        {
            return await session.Query<ConsentRecord>().Select(c => c.PatientId).ToListAsync(cancellation);
        }

        if (caller.Actor.Is(ClinicRoles.Patient))
        {
            return caller.Actor.UserId is { } self ? [self] : [];
        }

        return caller.Actor.UserId is { } therapistId ? await PatientAccess.CareTeamPatientsAsync(session, therapistId, cancellation) : [];
    }
}
