using System.Globalization;
using System.Text;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Scheduling.Calendars;

/// <summary>
/// Writes appointments as iCalendar (RFC 5545). Times are UTC so every calendar shows them in its own zone; the summary
/// says only "Therapy session" because calendars are synced to devices and third-party services.
/// </summary>
public static class ICalendar
{
    public const string ContentType = "text/calendar; charset=utf-8";

    public static string Write(IEnumerable<CalendarEntry> entries, DateTimeOffset now, string name)
    {
        var ics = new StringBuilder();
        Line(ics, "BEGIN:VCALENDAR");
        Line(ics, "VERSION:2.0");
        Line(ics, "PRODID:-//EventSourcedClinic//Appointments//EN");
        Line(ics, "CALSCALE:GREGORIAN");
        Line(ics, "METHOD:PUBLISH");
        Line(ics, $"X-WR-CALNAME:{Escape(name)}");
        foreach (var entry in entries)
        {
            Line(ics, "BEGIN:VEVENT");
            Line(ics, $"UID:{entry.Id}@eventsourcedclinic");
            Line(ics, $"DTSTAMP:{Utc(now)}");
            Line(ics, $"DTSTART:{Utc(entry.Start)}");
            Line(ics, $"DTEND:{Utc(entry.End)}");
            Line(ics, $"SEQUENCE:{entry.Version}");
            Line(ics, "SUMMARY:Therapy session");
            Line(ics, $"STATUS:{Status(entry.Status)}");
            Line(ics, "END:VEVENT");
        }

        Line(ics, "END:VCALENDAR");
        return ics.ToString();
    }

    private static string Status(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Held => "TENTATIVE",
        AppointmentStatus.Cancelled or AppointmentStatus.HoldExpired => "CANCELLED",
        _ => "CONFIRMED",
    };

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,").Replace("\n", "\\n");

    private static void Line(StringBuilder ics, string line) => ics.Append(line).Append("\r\n");
}
