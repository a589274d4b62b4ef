using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Projections.Compliance;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// AuditEvent: the access log in IHE BALP shape, for the compliance officer (any patient) and the patient (their own);
/// Provenance: who wrote each version of a resource, from the metadata on its stream's events.
/// </summary>
public static class AuditResources
{
    private static bool MayReadAudit(FhirCaller caller, Guid patientId) =>
        caller.Actor.Is(ClinicRoles.Compliance) || (caller.Actor.Is(ClinicRoles.Patient) && caller.Actor.UserId == patientId);

    public static async Task<IResult> ReadAuditEvent(HttpContext http, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!Guid.TryParse(id, out var accessId) || await session.LoadAsync<AccessLogEntry>(accessId, cancellation) is not { } entry
            || !MayReadAudit(caller, entry.Access.PatientId))
        {
            return FhirResponses.NotFound("AuditEvent", id);
        }

        // A break-glass reason is the patient's data too: reading the access log is logged here, as on the REST API.
        await caller.LogAsync([(entry.Access.PatientId, RecordTypes.AccessLog, RecordAccessed.AccessLogStreamId(entry.Access.PatientId))], cancellation);
        return FhirResponses.Resource(http, AuditEvents.From(entry.Access));
    }

    public static async Task<IResult> SearchAuditEvents(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        var (search, error) = FhirSearch.Parse(http.Request.Query, "entity", "patient", "agent", "date");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var (patientId, patientError) = search.Reference(search["patient"] is null ? "entity" : "patient", "Patient");
        var (from, to, dateError) = search.DateRange("date");
        if ((patientError ?? dateError) is { } invalid || patientId is null)
        {
            return FhirResponses.Invalid(patientError ?? dateError ?? "AuditEvents are searched by patient (entity=Patient/{id}).");
        }

        if (!MayReadAudit(caller, patientId.Value))
        {
            return FhirResponses.Forbidden("The access log is for the compliance officer and for the patient it concerns.");
        }

        IQueryable<AccessLogEntry> query = session.Query<AccessLogEntry>().Where(a => a.Access.PatientId == patientId.Value);
        if (search["agent"]?.Split('/')[^1] is { } agent)
        {
            query = query.Where(a => a.Access.AccessorId == agent);
        }

        var entries = (await query.OrderByDescending(a => a.Access.AccessedAt).ToListAsync(cancellation))
            .Where(a => a.Access.AccessedAt >= from && a.Access.AccessedAt < to).ToList();
        if (entries.Count > 0)
        {
            await caller.LogAsync([(patientId.Value, RecordTypes.AccessLog, RecordAccessed.AccessLogStreamId(patientId.Value))], cancellation);
        }
        return FhirResponses.Searchset(http, entries.Count, search.Offset, search.Count,
            entries.Skip(search.Offset).Take(search.Count).Select(e => AuditEvents.From(e.Access)));
    }

    public static async Task<IResult> SearchProvenance(HttpContext http, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead("Provenance"))
        {
            return caller.RefuseRead("Provenance");
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "target");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var target = search["target"]?.Split('/');
        if (target is not [var type, var id] || !Guid.TryParse(id, out var streamId))
        {
            return FhirResponses.Invalid("target names one resource: Patient/{id}, Appointment/{id}, ServiceRequest/{id} or EpisodeOfCare/{id}.");
        }

        if (type is not ("Patient" or "Appointment" or "ServiceRequest" or "EpisodeOfCare"))
        {
            return FhirResponses.Invalid($"Provenance is kept here for Patient, Appointment, ServiceRequest and EpisodeOfCare, not {type}.");
        }

        var (patientId, recordType) = await InstanceHistory.PatientOfAsync(session, type, streamId, cancellation);
        if (patientId is null || !await caller.MaySeeAsync(patientId.Value, cancellation))
        {
            return FhirResponses.Searchset(http, 0, search.Offset, search.Count, []);
        }

        var events = await session.Events.FetchStreamAsync(streamId, token: cancellation);
        var provenance = events.Select(e =>
        {
            var user = e.Headers?.GetValueOrDefault(AuditStamp.UserId)?.ToString();
            var role = e.Headers?.GetValueOrDefault(AuditStamp.Role)?.ToString();
            var client = e.Headers?.GetValueOrDefault(AuditStamp.ClientId)?.ToString();
            return (R4.Resource)new R4.Provenance
            {
                Id = e.Id.ToString(),
                Target = [new R4.ResourceReference($"{type}/{streamId}/_history/{e.Version}")],
                Recorded = e.Timestamp,
                Activity = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", e.Version == 1 ? "CREATE" : "UPDATE"),
                Reason = [new R4.CodeableConcept { Text = e.EventTypeName }],
                Agent =
                [
                    new R4.Provenance.AgentComponent
                    {
                        Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author"),
                        Role = role is null ? [] : [new R4.CodeableConcept { Text = role }],
                        Who = new R4.ResourceReference
                        {
                            Reference = role switch { "therapist" => $"Practitioner/{user}", "patient" => $"Patient/{user}", _ => null },
                            Identifier = new R4.Identifier(AuditEvents.UserSystem, user ?? "unknown"),
                        },
                    },
                    .. client is null ? Array.Empty<R4.Provenance.AgentComponent>() :
                    [
                        new R4.Provenance.AgentComponent
                        {
                            Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler"),
                            Who = new R4.ResourceReference { Identifier = new R4.Identifier(AuditEvents.ClientSystem, client) },
                        },
                    ],
                ],
            };
        }).ToList();
        await caller.LogAsync([(patientId.Value, recordType, streamId)], cancellation);
        return FhirResponses.Searchset(http, provenance.Count, search.Offset, search.Count, provenance.Skip(search.Offset).Take(search.Count));
    }
}
