using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Scheduling;
using Microsoft.AspNetCore.DataProtection;

namespace EventSourcedClinic.Api.Scheduling.Calendars;

/// <summary>Calendars from the inline calendar read model: one appointment, a therapist's days, a patient's list, and iCalendar.</summary>
public static class CalendarEndpoints
{
    private static readonly AppointmentStatus[] Gone = Appointment.Gone;

    [WolverineGet("/api/appointments/{appointmentId}")]
    [ProducesResponseType<AppointmentView>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetOne(
        HttpContext http, Guid appointmentId, ClaimsPrincipal user, IQuerySession session, AccessLog accessLog, CancellationToken cancellation)
    {
        var entry = await session.LoadAsync<CalendarEntry>(appointmentId, cancellation);
        if (entry is null || !Actor.From(user).MaySee(entry.TherapistId, entry.PatientId))
        {
            return Results.Problem(Problems.NotFound("appointment"));
        }

        await LogAsync(http, accessLog, entry, cancellation);
        return Results.Ok(AppointmentView.From(entry));
    }

    /// <summary>One appointment read (it may carry the patient's own words, a cancellation reason): on the patient's access log.</summary>
    private static Task LogAsync(HttpContext http, AccessLog accessLog, CalendarEntry entry, CancellationToken cancellation)
    {
        var actor = Actor.From(http.User);
        var purpose = actor.Is(ClinicRoles.Patient) ? AccessPurpose.PatientAccess : actor.Is(ClinicRoles.Therapist) ? AccessPurpose.DirectCare : AccessPurpose.Administration;
        return accessLog.RecordAsync(http, new PatientRead(entry.PatientId, purpose, null, [(RecordTypes.Appointment, entry.Id)]), cancellation);
    }

    [WolverineGet("/api/appointments/{appointmentId}/ics")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, ICalendar.ContentType)]
    public static async Task<IResult> GetOneAsICalendar(
        HttpContext http, Guid appointmentId, ClaimsPrincipal user, IQuerySession session, AccessLog accessLog, TimeProvider time, CancellationToken cancellation)
    {
        var entry = await session.LoadAsync<CalendarEntry>(appointmentId, cancellation);
        if (entry is null || !Actor.From(user).MaySee(entry.TherapistId, entry.PatientId))
        {
            return Results.Problem(Problems.NotFound("appointment"));
        }

        await LogAsync(http, accessLog, entry, cancellation);
        return Results.Text(ICalendar.Write([entry], time.GetUtcNow(), "Therapy session"), ICalendar.ContentType);
    }

    /// <summary>A therapist's appointments between two London dates (default: the coming week); an admin names the therapist.</summary>
    [WolverineGet("/api/calendar/therapist"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<TherapistCalendar>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetTherapistCalendar(
        Guid? therapistId, DateOnly? from, DateOnly? to, bool? includeCancelled, ClaimsPrincipal user, IQuerySession session, TimeProvider time,
        CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var whose = actor.Is(ClinicRoles.Therapist) ? actor.UserId!.Value : therapistId;
        if (whose is null || (therapistId is { } asked && asked != whose))
        {
            return Results.Problem(whose is null ? Problems.Forbidden("Name the therapist whose calendar you want.") : Problems.Forbidden("A therapist sees only their own calendar."));
        }

        var today = UkTime.Today(time.GetUtcNow());
        var start = from ?? today;
        if (Math.Abs(start.DayNumber - today.DayNumber) > 3_660 || (to is { } t && Math.Abs(t.DayNumber - today.DayNumber) > 3_660))
        {
            return Results.Problem(Problems.From(Rejection.Unprocessable("calendar-range", "A calendar view lies within ten years of today.")));
        }

        var end = to ?? start.AddDays(6);
        if (end < start || end.DayNumber - start.DayNumber > 92)
        {
            return Results.Problem(Problems.From(Rejection.Unprocessable("calendar-range", "A calendar view spans 1 to 93 days, 'to' on or after 'from'.")));
        }

        var (fromInstant, toInstant) = (London(start), London(end.AddDays(1)));
        var entries = await session.Query<CalendarEntry>()
            .Where(x => x.TherapistId == whose && x.Start >= fromInstant && x.Start < toInstant)
            .OrderBy(x => x.Start).ToListAsync(cancellation);
        return Results.Ok(new TherapistCalendar(whose.Value, start, end,
            entries.Where(e => includeCancelled == true || !Gone.Contains(e.Status)).Select(AppointmentView.From).ToArray()));
    }

    /// <summary>A patient's upcoming and past appointments.</summary>
    [WolverineGet("/api/calendar/patient"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Admin}")]
    [ProducesResponseType<PatientCalendar>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetPatientCalendar(
        Guid? patientId, ClaimsPrincipal user, IQuerySession session, TimeProvider time, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var whose = actor.Is(ClinicRoles.Patient) ? actor.UserId!.Value : patientId;
        if (whose is null || (patientId is { } asked && asked != whose))
        {
            return Results.Problem(whose is null ? Problems.Forbidden("Name the patient whose calendar you want.") : Problems.Forbidden("A patient sees only their own calendar."));
        }

        var now = time.GetUtcNow();
        var entries = await session.Query<CalendarEntry>().Where(x => x.PatientId == whose).OrderBy(x => x.Start).ToListAsync(cancellation);
        return Results.Ok(new PatientCalendar(whose.Value,
            entries.Where(e => e.End > now && !Gone.Contains(e.Status)).Select(AppointmentView.From).ToArray(),
            entries.Where(e => e.End <= now || Gone.Contains(e.Status)).OrderByDescending(e => e.Start).Select(AppointmentView.From).ToArray()));
    }

    /// <summary>A private address for the signed-in person's calendar app; anyone holding it can read the feed, so it is a secret.</summary>
    [WolverineGet("/api/calendar/feed-link"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    public static FeedLink GetFeedLink(ClaimsPrincipal user, IDataProtectionProvider protection, HttpContext http)
    {
        var actor = Actor.From(user);
        var token = Feed(protection).Protect($"{actor.Role}:{actor.Id}");
        return new FeedLink($"{http.Request.Scheme}://{http.Request.Host}/api/calendar/feed/{token}");
    }

    /// <summary>The iCalendar feed behind a feed link: the person's appointments from 30 days ago on.</summary>
    [WolverineGet("/api/calendar/feed/{token}"), AllowAnonymous]
    [ProducesResponseType<string>(StatusCodes.Status200OK, ICalendar.ContentType)]
    public static async Task<IResult> GetFeed(
        string token, IDataProtectionProvider protection, IQuerySession session, TimeProvider time, CancellationToken cancellation)
    {
        string payload;
        try
        {
            payload = Feed(protection).Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return Results.Problem(Problems.NotFound("calendar feed"));
        }

        var parts = payload.Split(':', 2);
        var id = Guid.Parse(parts[1]);
        var now = time.GetUtcNow();
        var since = now.AddDays(-30);
        var query = session.Query<CalendarEntry>().Where(x => x.Start >= since);
        query = parts[0] == ClinicRoles.Therapist ? query.Where(x => x.TherapistId == id) : query.Where(x => x.PatientId == id);
        var entries = await query.OrderBy(x => x.Start).ToListAsync(cancellation);
        return Results.Text(ICalendar.Write(entries, now, "Therapy sessions"), ICalendar.ContentType);
    }

    private static IDataProtector Feed(IDataProtectionProvider protection) => protection.CreateProtector("calendar-feed", "v1");

    private static DateTimeOffset London(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, UkTime.London.GetUtcOffset(local)).ToUniversalTime();
    }
}

public sealed record TherapistCalendar(Guid TherapistId, DateOnly From, DateOnly To, AppointmentView[] Appointments);

public sealed record PatientCalendar(Guid PatientId, AppointmentView[] Upcoming, AppointmentView[] Past);

public sealed record FeedLink(string Url);
