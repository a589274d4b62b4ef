using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using Npgsql;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Compliance;

/// <summary>
/// Tampering with the database behind the clinic's back, on a clinic of its own: the hash chain finds edited, deleted,
/// swapped and smuggled-in events, and a replay finds read models that no longer match the events.
/// </summary>
public class AuditIntegrityTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_chain_reports_each_event_altered_deleted_swapped_or_inserted_with_sql()
    {
        await using var app = new ClinicApp(null, new Dictionary<string, string>(), ownsDatabase: true);
        await app.InitializeAsync();
        var patientId = await SomeClinicalHistory(app);
        using var compliance = await app.AsCompliance();
        // A booking that loses its slot burns a sequence number (Marten may write a tombstone for it): not tampering.
        var contested = await BookableTherapist(app);
        var slot = LondonInDays(app, 4, 11);
        foreach (var (rival, expected) in new[] { (await PatientAccounts.Register(app), HttpStatusCode.Created), (await PatientAccounts.Register(app), HttpStatusCode.Conflict) })
        {
            (await Book(app.As(await app.PasswordToken(rival.Email, rival.Password)), contested.Id, slot)).StatusCode.ShouldBe(expected);
        }

        var intact = await Verify(compliance);
        intact.Intact.ShouldBeTrue(string.Join("; ", intact.Problems.Select(p => p.Detail)));
        intact.EventsChecked.ShouldBeGreaterThan(10);
        (await (await app.AsAdmin()).GetAsync("/api/compliance/chain/verify", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await using var sql = new NpgsqlConnection(app.ConnectionString);
        await sql.OpenAsync(Cancel);
        var outcomes = RecordOutcome.StreamId(patientId);
        var (first, second) = (await SequenceOf(sql, outcomes, 1), await SequenceOf(sql, outcomes, 2));

        // Without the clinic's chain key, no connection can add an event.
        var refused = await Should.ThrowAsync<PostgresException>(() => Execute(sql,
            "insert into clinic.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) " +
            $"select nextval('clinic.mt_events_sequence'), gen_random_uuid(), stream_id, 99, data, type, timestamp, tenant_id, mt_dotnet_type from clinic.mt_events where seq_id = {first}"));
        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);

        // Altered: a score lowered in place.
        var original = await TotalOf(sql, second);
        await Execute(sql, $"update clinic.mt_events set data = jsonb_set(data, '{{total}}', '0') where seq_id = {second}");
        var altered = (await Verify(compliance)).Problems.ShouldHaveSingleItem();
        (altered.Kind, altered.StreamId, altered.Version, altered.Sequence).ShouldBe((ChainProblemKind.Altered, outcomes, 2L, (long?)second));

        // A link recomputed without the key does not help: the chain is keyed.
        await Execute(sql, $"update clinic.event_chain set hash = sha256(hash) where seq_id = {second}");
        (await Verify(compliance)).Problems.ShouldHaveSingleItem().Kind.ShouldBe(ChainProblemKind.Altered);

        // Swapped: two events traded places in the global order.
        await Execute(sql, $"update clinic.mt_events set data = jsonb_set(data, '{{total}}', '{original}') where seq_id = {second}");
        var consent = await SequenceOf(sql, Domain.Clinical.Consent.ConsentRecord.StreamId(patientId), 1);
        (await Verify(compliance)).Problems.Where(p => p.Kind != ChainProblemKind.Altered).ShouldBeEmpty();
        await Execute(sql, $"update clinic.mt_events set seq_id = -1 where seq_id = {first}; " +
                           $"update clinic.mt_events set seq_id = {first} where seq_id = {consent}; update clinic.mt_events set seq_id = {consent} where seq_id = -1");
        var swapped = (await Verify(compliance)).Problems.Where(p => p.Kind == ChainProblemKind.Reordered).ToArray();
        swapped.Select(p => p.StreamId).Order().ShouldBe(new[] { outcomes, Domain.Clinical.Consent.ConsentRecord.StreamId(patientId) }.Order());

        // Archived behind the clinic's back (which hides an event from most reads): altered.
        await Execute(sql, $"update clinic.mt_events set is_archived = true where stream_id = '{contested.Id}' and version = 1");
        (await Verify(compliance)).Problems.ShouldContain(p => p.Kind == ChainProblemKind.Altered && p.StreamId == contested.Id && p.Version == 1);

        // Deleted: the patient's registration removed outright.
        await Execute(sql, $"delete from clinic.mt_events where stream_id = '{patientId}' and version = 1");
        var report = await Verify(compliance);
        report.Problems.ShouldContain(p => p.Kind == ChainProblemKind.Deleted && p.StreamId == patientId && p.Version == 1);

        // Inserted: an event smuggled in with triggers switched off has no valid link.
        await Execute(sql, "set session_replication_role = replica; " +
                           "insert into clinic.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) " +
                           $"select nextval('clinic.mt_events_sequence'), gen_random_uuid(), stream_id, 3, data, type, timestamp, tenant_id, mt_dotnet_type from clinic.mt_events where seq_id = {consent}; " +
                           "set session_replication_role = origin");
        report = await Verify(compliance);
        report.Problems.ShouldContain(p => p.Kind == ChainProblemKind.Inserted && p.Version == 3);
        report.Intact.ShouldBeFalse();
        report.ProblemCount.ShouldBe(report.Problems.Length);

        // Verifying one stream checks that stream only.
        var one = await compliance.GetFromJsonAsync<ChainVerification>($"/api/compliance/chain/verify?streamId={patientId}", ClinicApp.Json, Cancel);
        one!.StreamsChecked.ShouldBe(1);
        one.Problems.ShouldAllBe(p => p.StreamId == patientId);
    }

    [Fact]
    public async Task a_replay_into_a_scratch_schema_matches_the_live_read_models_until_one_is_edited()
    {
        await using var app = new ClinicApp(null, new Dictionary<string, string>(), ownsDatabase: true);
        await app.InitializeAsync();
        var patientId = await SomeClinicalHistory(app);
        using var compliance = await app.AsCompliance();

        var clean = await Replay(compliance);
        clean.Matches.ShouldBeTrue(string.Join("; ", clean.ReadModels.SelectMany(m => m.Differences).Select(d => $"{d.Kind} {d.Id} {d.Detail}")));
        clean.Events.ShouldBeGreaterThan(10);
        clean.ReadModels.Select(m => m.Name).ShouldContain("OutcomeHistory");
        clean.ReadModels.Select(m => m.Name).ShouldContain("AccessLogEntry");
        clean.ReadModels.Single(m => m.Name == "slot claims").Live.ShouldBe(1);
        clean.ReadModels.Single(m => m.Name == "CalendarEntry").Rebuilt.ShouldBe(1);

        await using var sql = new NpgsqlConnection(app.ConnectionString);
        await sql.OpenAsync(Cancel);
        await Execute(sql, $"update clinic.mt_doc_outcomehistory set data = jsonb_set(data, '{{measures,0,total}}', '0') where data->>'patientId' = '{patientId}'");
        await Execute(sql, "delete from clinic.slot_claims");
        var edited = await Replay(compliance);
        edited.Matches.ShouldBeFalse();
        var different = edited.ReadModels.Single(m => m.Name == "OutcomeHistory").Differences.ShouldHaveSingleItem();
        different.Kind.ShouldBe("different");
        different.Detail.ShouldEndWith("in 'total'");
        edited.ReadModels.Single(m => m.Name == "slot claims").Differences.ShouldHaveSingleItem().Kind.ShouldBe("missing-from-live");
        await using var scratch = new NpgsqlCommand("select count(*) from pg_namespace where nspname like 'clinic_replay%'", sql);
        (await scratch.ExecuteScalarAsync(Cancel)).ShouldBe(0L);
    }

    /// <summary>A patient with a booking, two scores, a consent and a read of their record; returns the patient's id.</summary>
    private static async Task<Guid> SomeClinicalHistory(ClinicApp app)
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        await Booked(asPatient, therapist.Id, LondonInDays(app, 3, 10));
        foreach (var answers in new[] { new[] { 2, 2, 2, 2, 2, 2, 2 }, new[] { 1, 1, 1, 1, 1, 1, 1 } })
        {
            (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/outcomes", new { questionnaire = "gad7", answers }, Cancel))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/consents", new { scope = "treatment", given = true, policyVersion = "2027-01" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        (await asTherapist.GetAsync($"/api/patients/{patient.Id}/record", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return patient.Id;
    }

    private static async Task<ChainVerification> Verify(HttpClient compliance) =>
        (await compliance.GetFromJsonAsync<ChainVerification>("/api/compliance/chain/verify", ClinicApp.Json, Cancel))!;

    private static async Task<ReplayReport> Replay(HttpClient compliance)
    {
        var response = await compliance.PostAsync("/api/compliance/replay/verify", null, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<ReplayReport>(ClinicApp.Json, Cancel))!;
    }

    private static async Task<long> SequenceOf(NpgsqlConnection sql, Guid streamId, long version)
    {
        await using var command = new NpgsqlCommand("select seq_id from clinic.mt_events where stream_id = $1 and version = $2", sql);
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(version);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }

    private static async Task<string> TotalOf(NpgsqlConnection sql, long sequence)
    {
        await using var command = new NpgsqlCommand($"select data->>'total' from clinic.mt_events where seq_id = {sequence}", sql);
        return (string)(await command.ExecuteScalarAsync(Cancel))!;
    }

    private static async Task Execute(NpgsqlConnection sql, string text)
    {
        await using var command = new NpgsqlCommand(text, sql);
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
