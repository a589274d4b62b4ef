using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>Appointment: read and vread from the appointment's stream; search by patient, practitioner, date and status.</summary>
public static class AppointmentResource
{
    public const string Type = "Appointment";

    public static async Task<IResult> Read(HttpContext http, string id, long? vid, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead(Type))
        {
            return caller.RefuseRead(Type);
        }

        if (!Guid.TryParse(id, out var appointmentId) || await session.LoadAsync<CalendarEntry>(appointmentId, cancellation) is not { } current
            || !await caller.MaySeeAsync(current.PatientId, cancellation))
        {
            return FhirResponses.NotFound(Type, id);
        }

        var entry = vid is null ? current
            : vid >= 1 && vid <= current.Version ? await session.Events.AggregateStreamAsync<CalendarEntry>(appointmentId, vid.Value, token: cancellation)
            : null;
        if (entry is null)
        {
            return FhirResponses.NotFound(Type, $"{id}/_history/{vid}");
        }

        var events = await session.Events.FetchStreamAsync(appointmentId, entry.Version, token: cancellation);
        await caller.LogAsync([(entry.PatientId, RecordTypes.Appointment, appointmentId)], cancellation);
        return FhirResponses.Resource(http, FhirMapping.Appointment(entry, events[^1].Timestamp));
    }

    public static async Task<IResult> Search(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead(Type))
        {
            return caller.RefuseRead(Type);
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "patient", "practitioner", "date", "status", "_include");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var (patientId, patientError) = search.Reference("patient", "Patient");
        var (practitionerId, practitionerError) = search.Reference("practitioner", "Practitioner");
        var (from, to, dateError) = search.DateRange("date");
        if ((patientError ?? practitionerError ?? dateError) is { } invalid)
        {
            return FhirResponses.Invalid(invalid);
        }

        if (search["_include"] is { } include && include != "Appointment:patient")
        {
            return FhirResponses.Invalid("_include supports Appointment:patient.");
        }

        IQueryable<CalendarEntry> query = session.Query<CalendarEntry>();
        if (patientId is { } patient)
        {
            query = query.Where(e => e.PatientId == patient);
        }

        if (practitionerId is { } practitioner)
        {
            query = query.Where(e => e.TherapistId == practitioner);
        }

        if (from != DateTimeOffset.MinValue)
        {
            query = query.Where(e => e.Start >= from);
        }

        if (to != DateTimeOffset.MaxValue)
        {
            query = query.Where(e => e.Start < to);
        }

        var entries = await query.ToListAsync(cancellation);
        var visible = await caller.VisibleAsync(entries.Select(e => e.PatientId), cancellation);
        var statuses = search["status"]?.Split(',').Select(s => s.Trim()).ToHashSet();
        var matches = entries.Where(e => visible.Contains(e.PatientId))
            .Select(e => (Entry: e, Resource: FhirMapping.Appointment(e, null)))
            .Where(m => statuses is null || statuses.Contains(Hl7.Fhir.Utility.EnumUtility.GetLiteral(m.Resource.Status)!))
            .ToList();
        var ordered = search.Sort == "-date" ? matches.OrderByDescending(m => m.Entry.Start) : matches.OrderBy(m => m.Entry.Start);
        var page = ordered.Skip(search.Offset).Take(search.Count).ToArray();

        var included = new List<R4.Resource>();
        // Included patients are read like any other: the token must grant Patient too.
        if (search.Includes("Appointment:patient") && caller.MayRead(PatientResource.Type))
        {
            foreach (var id in page.Select(m => m.Entry.PatientId).Distinct())
            {
                if (await PatientResource.LoadAsync(session, id, null, cancellation) is { } resource)
                {
                    included.Add(resource);
                }
            }
        }

        await caller.LogAsync(page.Select(m => (m.Entry.PatientId, RecordTypes.Appointment, m.Entry.Id))
            .Concat(included.Select(p => (Guid.Parse(p.Id!), RecordTypes.Patient, Guid.Parse(p.Id!)))), cancellation);
        return FhirResponses.Searchset(http, matches.Count, search.Offset, search.Count, page.Select(m => m.Resource), included);
    }
}
