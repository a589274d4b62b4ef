using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain;

namespace EventSourcedClinic.Api.Tests.Scheduling;

public static class SchedulingScenarios
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    /// <summary>A listed therapist working 08:00-20:00 London time every day, 50-minute sessions on the hour.</summary>
    public static async Task<Scenarios.TherapistAccount> BookableTherapist(ClinicApp app, int feePence = 6000, string[]? languages = null,
        string[]? methods = null, string? biography = null, int noticeHours = 24)
    {
        var therapist = await Scenarios.Listed(app, languages ?? ["en"], methods ?? ["cbt"], ["anxiety"], feePence, biography ?? "Bookable.");
        var version = await SetHours(app, therapist, EveryDay.Select(d => new { day = d.ToString(), start = "08:00", end = "20:00" }).ToArray(),
            buffer: 10, noticeHours: noticeHours);
        version.ShouldBe(1);
        return therapist;
    }

    public static async Task<long> SetHours(ClinicApp app, Scenarios.TherapistAccount therapist, object[] hours, int buffer, int noticeHours = 24,
        long expectedVersion = 0)
    {
        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var response = await self.PutAsJsonAsync($"/api/therapists/{therapist.Id}/availability",
            new { expectedVersion, hours, bufferMinutes = buffer, minimumNoticeHours = noticeHours, horizonWeeks = 8 }, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return System.Text.Json.JsonSerializer.Deserialize<StreamVersion>(body, ClinicApp.Json)!.Version;
    }

    /// <summary>A London wall-clock time some days from the clinic's today.</summary>
    public static DateTimeOffset LondonInDays(ClinicApp app, int days, int hour, int minute = 0)
    {
        var date = UkTime.Today(app.Clock.GetUtcNow()).AddDays(days);
        var local = date.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, UkTime.London.GetUtcOffset(local));
    }

    public static async Task<HttpResponseMessage> Book(HttpClient client, Guid therapistId, DateTimeOffset start, object? extra = null) =>
        await client.PostAsJsonAsync("/api/appointments", extra ?? new { therapistId, start }, Cancel);

    public static async Task<BookedAppointment> Booked(HttpClient client, Guid therapistId, DateTimeOffset start)
    {
        var response = await Book(client, therapistId, start);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return System.Text.Json.JsonSerializer.Deserialize<BookedAppointment>(body, ClinicApp.Json)!;
    }

    public static async Task<HttpClient> AsNewPatient(ClinicApp app)
    {
        var patient = await PatientAccounts.Register(app);
        return app.As(await app.PasswordToken(patient.Email, patient.Password));
    }
}
