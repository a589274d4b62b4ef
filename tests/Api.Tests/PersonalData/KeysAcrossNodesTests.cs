using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Patients.Registration;
using EventSourcedClinic.Api.PersonalData;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedClinic.Api.Tests.PersonalData;

/// <summary>
/// Two nodes of the clinic on one database: a patient erased through one stops being readable on the other as soon as
/// the erasure commits, not when the other node's cached key would have run out (ADR 0012).
/// </summary>
public class KeysAcrossNodesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_key_destroyed_on_one_node_is_forgotten_by_another_that_had_cached_it()
    {
        var settings = new Dictionary<string, string>();
        await using var first = new ClinicApp(null, settings, ownsDatabase: true);
        await first.InitializeAsync();
        await using var second = new ClinicApp(first.Database, settings, ownsDatabase: false);
        await second.InitializeAsync();

        var marker = Scenarios.UniqueWord();
        var registered = await first.Anonymous().PostAsJsonAsync("/api/patients", new
        {
            givenName = marker, familyName = "Nodes", dateOfBirth = "1990-05-01", email = $"{marker}@tests.clinic",
            password = "patient-password-1", nhsNumber = Scenarios.NhsNumber(),
        }, Cancel);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        var patientId = (await registered.Content.ReadFromJsonAsync<RegisteredPatient>(ClinicApp.Json, Cancel))!.PatientId;

        // The second node reads the patient, and so holds their key, once it hears destructions.
        var keys = second.Services.GetRequiredService<PatientKeys>();
        await Eventually(() => keys.IsListening);
        keys.ForReading(patientId).ShouldNotBeNull();

        using var compliance = await first.AsCompliance();
        var erased = await compliance.PostAsJsonAsync($"/api/compliance/patients/{patientId}/erasure", new { reason = "Subject's written request" }, Cancel);
        erased.StatusCode.ShouldBe(HttpStatusCode.OK, await erased.Content.ReadAsStringAsync(Cancel));

        await Eventually(() => keys.ForReading(patientId) is null);
    }

    [Fact]
    public async Task a_node_whose_listening_connection_is_cut_caches_nothing_until_it_listens_again_and_still_hears_destructions()
    {
        await using var clinic = new ClinicApp(null, new Dictionary<string, string>(), ownsDatabase: true);
        await clinic.InitializeAsync();
        var keys = clinic.Services.GetRequiredService<PatientKeys>();
        await Eventually(() => keys.IsListening);

        // The database drops the listener's connection, as a restart or a failover would.
        await using (var admin = new Npgsql.NpgsqlConnection(clinic.ConnectionString))
        {
            await admin.OpenAsync(Cancel);
            await using var cut = new Npgsql.NpgsqlCommand(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() and query ilike 'listen %'", admin);
            ((long)(await cut.ExecuteScalarAsync(Cancel))!).ShouldBe(1);
        }

        await Eventually(() => keys.IsListening);
        var patientId = Guid.CreateVersion7();
        keys.ForWriting(patientId).ShouldNotBeNull();
        keys.ForReading(patientId).ShouldNotBeNull();
        await using (var destroy = clinic.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
                         "update clinic.patient_keys set wrapped_key = null, destroyed_at = now() where patient_id = $1"))
        {
            destroy.Parameters.AddWithValue(patientId);
            await destroy.ExecuteNonQueryAsync(Cancel);
        }

        await Eventually(() => keys.ForReading(patientId) is null);
    }

    /// <summary>Waits on the condition, checking often, for far less than the two minutes a cached key used to live.</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the condition did not hold within 15 seconds");
            await poll.WaitForNextTickAsync(Cancel);
        }
    }
}
