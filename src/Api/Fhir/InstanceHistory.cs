using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// <c>{type}/{id}/_history</c> for the resources that are one stream each (Patient, Appointment, EpisodeOfCare,
/// ServiceRequest, and the therapist's Practitioner and PractitionerRole): every version of the stream, replayed.
/// </summary>
public static class InstanceHistory
{
    public static async Task<IResult> Get(HttpContext http, string type, string id, FhirCaller caller, IQuerySession session, CancellationToken cancellation)
    {
        if (!caller.MayRead(type))
        {
            return caller.RefuseRead(type);
        }

        if (!Guid.TryParse(id, out var streamId))
        {
            return FhirResponses.NotFound(type, id);
        }

        if (type is "Practitioner" or "PractitionerRole")
        {
            // The public directory: every version of the therapist's listing, while listed.
            var listing = await session.Events.FetchStreamAsync(streamId, token: cancellation);
            var listed = new List<R4.Resource>();
            foreach (var e in listing)
            {
                if (await session.Events.AggregateStreamAsync<Projections.Therapists.TherapistDirectoryEntry>(streamId, e.Version, token: cancellation) is { IsListed: true } entry)
                {
                    entry.Version = e.Version;
                    listed.Add(type == "Practitioner" ? FhirMapping.Practitioner(entry) : FhirMapping.PractitionerRole(entry));
                }
            }

            return listed.Count == 0 ? FhirResponses.NotFound(type, id) : FhirResponses.History(http, type, id, listed);
        }

        var (patientId, recordType) = await PatientOfAsync(session, type, streamId, cancellation);
        if (patientId is null || !await caller.MaySeeAsync(patientId.Value, cancellation))
        {
            return FhirResponses.NotFound(type, id);
        }

        var events = await session.Events.FetchStreamAsync(streamId, token: cancellation);
        var versions = new List<R4.Resource>();
        foreach (var e in events)
        {
            R4.Resource? resource = type switch
            {
                "Patient" => await PatientResource.LoadAsync(session, streamId, e.Version, cancellation),
                "Appointment" => await session.Events.AggregateStreamAsync<CalendarEntry>(streamId, e.Version, token: cancellation) is { } entry
                    ? FhirMapping.Appointment(entry, e.Timestamp) : null,
                "EpisodeOfCare" => await session.Events.AggregateStreamAsync<CareEpisode>(streamId, e.Version, token: cancellation) is { } episode
                    ? FhirMapping.EpisodeOfCare(episode, e.Version, e.Timestamp) : null,
                _ => await session.Events.AggregateStreamAsync<CareEpisode>(streamId, e.Version, token: cancellation) is { } referral
                    ? FhirMapping.ServiceRequest(referral, e.Version, e.Timestamp) : null,
            };
            if (resource is not null)
            {
                versions.Add(resource);
            }
        }

        await caller.LogAsync([(patientId.Value, recordType, streamId)], cancellation);
        return FhirResponses.History(http, type, id, versions);
    }

    /// <summary>
    /// Whose record a one-stream resource is, and the record type its reads are logged under; no patient when the
    /// stream is not of that type.
    /// </summary>
    public static async Task<(Guid? PatientId, string RecordType)> PatientOfAsync(
        IQuerySession session, string type, Guid streamId, CancellationToken cancellation) => type switch
    {
        "Patient" => (await PatientStreams.IsPatientAsync(session, streamId, cancellation) ? streamId : null, RecordTypes.Patient),
        "Appointment" => ((await session.LoadAsync<CalendarEntry>(streamId, cancellation))?.PatientId, RecordTypes.Appointment),
        "EpisodeOfCare" or "ServiceRequest" => ((await session.LoadAsync<CareEpisode>(streamId, cancellation))?.PatientId, RecordTypes.CareEpisode),
        _ => (null, ""),
    };
}
