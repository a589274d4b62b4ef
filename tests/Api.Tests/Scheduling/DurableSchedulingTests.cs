using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Scheduling.Reminders;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Scheduling;

/// <summary>
/// A hold's lapse and a session's reminder are durable scheduled messages: the host that scheduled them stops before
/// they are due, a new host starts on the same database, and they still happen.
/// </summary>
public class DurableSchedulingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_hold_lapses_and_a_reminder_goes_after_the_host_that_scheduled_them_has_restarted()
    {
        var clock = new TestClock(TimeSpan.FromDays(3));
        var sessionStart = London(UkTime.Today(clock.GetUtcNow()).AddDays(1), 10);
        var reminderDue = clock.GetUtcNow().AddSeconds(25);
        var settings = new Dictionary<string, string>
        {
            ["Booking:HoldMinutes"] = (20.0 / 60).ToString(CultureInfo.InvariantCulture),
            ["Booking:ReminderLeadMinutes:0"] = (sessionStart - reminderDue).TotalMinutes.ToString(CultureInfo.InvariantCulture),
        };

        Guid heldId, confirmedId;
        var first = new ClinicApp(null, settings, ownsDatabase: false);
        await first.InitializeAsync();
        var database = first.Database;
        try
        {
            var therapist = await BookableTherapist(first, noticeHours: 0);
            using var patient = await AsNewPatient(first);
            heldId = (await Booked(patient, therapist.Id, sessionStart.AddHours(2))).AppointmentId;
            var other = await PatientAccounts.Register(first);
            using var admin = await first.AsAdmin();
            var nhs = await Book(admin, therapist.Id, sessionStart, new { therapistId = therapist.Id, start = sessionStart, patientId = other.Id, funding = "nhs" });
            nhs.StatusCode.ShouldBe(HttpStatusCode.Created, await nhs.Content.ReadAsStringAsync(Cancel));
            confirmedId = (await nhs.Content.ReadFromJsonAsync<BookedAppointment>(ClinicApp.Json, Cancel))!.AppointmentId;
        }
        finally
        {
            await first.DisposeAsync();
        }

        (await EventsOf(database, heldId)).ShouldNotContain(e => e is HoldExpired);
        (await EventsOf(database, confirmedId)).ShouldNotContain(e => e is ReminderSent);

        var second = new ClinicApp(database, settings, ownsDatabase: true);
        await second.InitializeAsync();
        try
        {
            await Eventually(async () => (await Scenarios.Events(second, heldId)).Any(e => e.Data is HoldExpired));
            await Eventually(async () => (await Scenarios.Events(second, confirmedId)).Any(e => e.Data is ReminderSent));
            var reminder = (await Scenarios.Events(second, confirmedId)).Select(e => e.Data).OfType<ReminderSent>().Single();
            reminder.SessionStart.ShouldBe(sessionStart);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private static async Task<object[]> EventsOf(string database, Guid streamId)
    {
        var probe = new ClinicApp(database, new Dictionary<string, string>(), ownsDatabase: false);
        await using var connection = new Npgsql.NpgsqlConnection(probe.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new Npgsql.NpgsqlCommand("select type from clinic.mt_events where stream_id = $1", connection);
        command.Parameters.AddWithValue(streamId);
        var types = new List<object>();
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        while (await reader.ReadAsync(Cancel))
        {
            types.Add(reader.GetString(0) switch
            {
                "hold_expired" => new HoldExpired(streamId, default),
                "reminder_sent" => new ReminderSent(streamId, "", default, default),
                var other => other,
            });
        }

        return types.ToArray();
    }

    // Polls the condition until it holds, failing at a deadline: scheduled work runs on Wolverine's own polling cadence.
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the scheduled work did not happen after the restart");
            await poll.WaitForNextTickAsync(Cancel);
        }
    }

    private static DateTimeOffset London(DateOnly date, int hour)
    {
        var local = date.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, UkTime.London.GetUtcOffset(local));
    }
}
