using System.Globalization;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Api.Scheduling.Slots;
using EventSourcedClinic.Domain.Scheduling.Availability;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// Schedule (one per listed therapist) and Slot (their free times, as the REST slot search computes them from published
/// hours and the claims table). Public information, as the directory: no patient is involved.
/// </summary>
public static class ScheduleResources
{
    public static async Task<IResult> ReadSchedule(HttpContext http, string id, FhirCaller caller, IQuerySession session, TimeProvider time, CancellationToken cancellation)
    {
        if (!caller.MayRead("Schedule"))
        {
            return caller.RefuseRead("Schedule");
        }

        return Guid.TryParse(id, out var therapistId) && await ScheduleAsync(session, therapistId, time.GetUtcNow(), cancellation) is { } schedule
            ? FhirResponses.Resource(http, schedule)
            : FhirResponses.NotFound("Schedule", id);
    }

    public static async Task<IResult> SearchSchedules(HttpContext http, FhirCaller caller, IQuerySession session, TimeProvider time, CancellationToken cancellation)
    {
        if (!caller.MayRead("Schedule"))
        {
            return caller.RefuseRead("Schedule");
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "actor");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var actor = search["actor"]?.Split('/')[^1];
        if (actor is not null && !Guid.TryParse(actor, out _))
        {
            return FhirResponses.Invalid("actor must reference a Practitioner or PractitionerRole by its id.");
        }

        var ids = actor is not null
            ? [Guid.Parse(actor)]
            : await session.Query<Projections.Therapists.TherapistDirectoryEntry>().Where(t => t.IsListed).OrderBy(t => t.FullName).Select(t => t.Id).ToListAsync(cancellation);
        var schedules = new List<R4.Schedule>();
        foreach (var id in ids)
        {
            if (await ScheduleAsync(session, id, time.GetUtcNow(), cancellation) is { } schedule)
            {
                schedules.Add(schedule);
            }
        }

        return FhirResponses.Searchset(http, schedules.Count, search.Offset, search.Count, schedules.Skip(search.Offset).Take(search.Count));
    }

    private static async Task<R4.Schedule?> ScheduleAsync(IQuerySession session, Guid therapistId, DateTimeOffset now, CancellationToken cancellation)
    {
        var (terms, availability) = await BookingContext.LoadAsync(session, therapistId, cancellation);
        if (terms is not { IsBookable: true } || availability is null)
        {
            return null;
        }

        var (earliest, latest) = SlotGrid.BookingWindow(availability, now);
        return new R4.Schedule
        {
            Id = therapistId.ToString(),
            Active = true,
            ServiceType = [new R4.CodeableConcept(Integrations.Fhir.FhirMapping.Snomed, "75516001", "Psychotherapy")],
            Actor = [new R4.ResourceReference($"PractitionerRole/{therapistId}"), new R4.ResourceReference($"Practitioner/{therapistId}")],
            PlanningHorizon = new R4.Period { StartElement = new R4.FhirDateTime(earliest), EndElement = new R4.FhirDateTime(latest) },
            Comment = $"{terms.SessionMinutes}-minute sessions, London time.",
        };
    }

    public static async Task<IResult> SearchSlots(
        HttpContext http, FhirCaller caller, IQuerySession session, FreeSlots freeSlots, TimeProvider time, CancellationToken cancellation)
    {
        if (!caller.MayRead("Slot"))
        {
            return caller.RefuseRead("Slot");
        }

        var (search, error) = FhirSearch.Parse(http.Request.Query, "schedule", "status", "start");
        if (search is null)
        {
            return FhirResponses.Invalid(error!);
        }

        var (scheduleId, referenceError) = search.Reference("schedule", "Schedule");
        var (from, to, dateError) = search.DateRange("start");
        if ((referenceError ?? dateError) is { } invalid || scheduleId is null)
        {
            return FhirResponses.Invalid(referenceError ?? dateError ?? "Slots are searched by schedule (schedule=Schedule/{id}).");
        }

        var now = time.GetUtcNow();
        var fromDate = from == DateTimeOffset.MinValue ? UkTime.Today(now) : DateOnly.FromDateTime(from.UtcDateTime);
        var toDate = to == DateTimeOffset.MaxValue ? fromDate.AddDays(7) : DateOnly.FromDateTime(to.UtcDateTime);
        if (toDate.DayNumber - fromDate.DayNumber > FreeSlots.MaxDays || !FreeSlots.IsNearToday(fromDate, now))
        {
            return FhirResponses.Invalid($"start may span at most {FreeSlots.MaxDays} days, near today.");
        }

        var (terms, availability) = await BookingContext.LoadAsync(session, scheduleId.Value, cancellation);
        Slot[] slots = search["status"] is { } status && status != "free" || terms is not { IsBookable: true } || availability is null
            ? []
            : (await freeSlots.ForAsync([(availability, terms.SessionMinutes)], fromDate, toDate, now, cancellation))[scheduleId.Value]
                .Where(s => s.Start >= from && s.Start < to).ToArray();
        var page = slots.Skip(search.Offset).Take(search.Count).Select(s => Slot(scheduleId.Value, s));
        return FhirResponses.Searchset(http, slots.Length, search.Offset, search.Count, page);
    }

    private static R4.Slot Slot(Guid therapistId, Slot slot) => new()
    {
        Id = $"{therapistId:N}-{slot.Start.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}",
        Schedule = new R4.ResourceReference($"Schedule/{therapistId}"),
        Status = R4.Slot.SlotStatus.Free,
        Start = slot.Start,
        End = slot.End,
    };
}
