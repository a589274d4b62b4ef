using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Projections.Scheduling;
using Marten;
using Npgsql;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Scheduling;

/// <summary>Invariants under load: the database, not a check in the code, refuses the second booking of a time (ADR 0006).</summary>
public class ConcurrentBookingTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task fifty_patients_asking_for_one_slot_at_once_give_one_booking_and_forty_nine_conflicts()
    {
        var therapist = await BookableTherapist(app);
        var start = LondonInDays(app, 10, 10);
        var patients = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => AsNewPatient(app)));

        var responses = await Task.WhenAll(patients.Select(p => Book(p, therapist.Id, start)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(49);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            (await Scenarios.Problem(conflict)).GetProperty("rule").GetString().ShouldBe("slot-taken");
        }

        await using var session = app.Store.QuerySession();
        (await session.Query<CalendarEntry>().CountAsync(e => e.TherapistId == therapist.Id, Cancel)).ShouldBe(1);
        (await ClaimCount(therapist.Id)).ShouldBe(1);
        foreach (var p in patients)
        {
            p.Dispose();
        }
    }

    [Fact]
    public async Task one_patient_booking_overlapping_times_with_two_therapists_at_once_gets_at_most_one()
    {
        var first = await BookableTherapist(app);
        var second = await BookableTherapist(app);
        using var patient = await AsNewPatient(app);
        var start = LondonInDays(app, 11, 15);

        var responses = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => Book(patient, i % 2 == 0 ? first.Id : second.Id, start)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            // PostgreSQL may also pick one of the two as a deadlock victim while it checks both exclusion constraints:
            // refused all the same, with a rule that says to retry.
            (await Scenarios.Problem(conflict)).GetProperty("rule").GetString()!.ShouldBeOneOf("patient-double-booked", "slot-taken", "concurrent-write");
        }

        (await ClaimCount(first.Id) + await ClaimCount(second.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task many_reschedules_of_one_appointment_at_once_move_it_once()
    {
        var therapist = await BookableTherapist(app);
        using var patient = await AsNewPatient(app);
        var booked = await Booked(patient, therapist.Id, LondonInDays(app, 12, 9));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => patient.PostAsJsonAsync(
            $"/api/appointments/{booked.AppointmentId}/reschedule", new { expectedVersion = 1, newStart = LondonInDays(app, 12, 10 + i) }, Cancel)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(7);
        (await Scenarios.Events(app, booked.AppointmentId)).Count.ShouldBe(2);
        (await ClaimCount(therapist.Id)).ShouldBe(1);
    }

    private async Task<long> ClaimCount(Guid therapistId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand($"select count(*) from clinic.slot_claims where therapist_id = $1", connection);
        command.Parameters.AddWithValue(therapistId);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
