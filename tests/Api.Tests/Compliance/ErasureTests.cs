using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EventSourcedClinic.Api.Clinical;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Api.Patients.Registration;
using EventSourcedClinic.Domain.Compliance;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Compliance;

/// <summary>
/// On a clinic of its own that lives through 21 years in a moment: a patient outside retention is erased with a
/// receipt, every projection is rebuilt, and no table anywhere in the database still holds their personal data.
/// </summary>
public class ErasureTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_patient_erased_outside_retention_leaves_a_receipt_and_no_readable_personal_data_in_any_table_after_a_rebuild()
    {
        await using var app = new ClinicApp(null, new Dictionary<string, string>(), ownsDatabase: true);
        await app.InitializeAsync();
        var marker = Scenarios.UniqueWord();
        var nhsNumber = Scenarios.NhsNumber();
        var email = $"{marker}@tests.clinic";
        var registered = await app.Anonymous().PostAsJsonAsync("/api/patients", new
        {
            givenName = marker + "given", familyName = marker + "family", dateOfBirth = "1984-02-29", email, password = "patient-password-1", nhsNumber,
        }, Cancel);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        var patientId = (await registered.Content.ReadFromJsonAsync<RegisteredPatient>(ClinicApp.Json, Cancel))!.PatientId;
        using var asPatient = app.As(await app.PasswordToken(email, "patient-password-1"));
        (await asPatient.PutAsJsonAsync($"/api/patients/{patientId}/contact-details", new
        {
            expectedVersion = 1, phone = "+44 29 2000 0000",
            address = new { line1 = marker + " Heol y Frenhines", town = "Caerdydd", postcode = "CF10 1AA" },
            gpPracticeOdsCode = "W97001",
            emergencyContact = new { name = marker + "kin", phone = "07700 900123", relationship = "brother" },
            preferredLanguage = "cy",
        }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var therapist = await BookableTherapist(app);
        var booked = await Booked(asPatient, therapist.Id, LondonInDays(app, 3, 9));
        (await asPatient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/cancellation", new { expectedVersion = 1, reason = marker + " cannot come" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await Booked(asPatient, therapist.Id, LondonInDays(app, 4, 9));
        (await asPatient.PostAsJsonAsync($"/api/patients/{patientId}/history", new { kind = "intake", summary = marker + " panic on trains" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await asPatient.PostAsJsonAsync($"/api/patients/{patientId}/outcomes", new { questionnaire = "gad7", answers = new[] { 2, 2, 2, 2, 2, 2, 2 } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var outsider = await Scenarios.Onboard(app);
        using (var breakGlass = new HttpRequestMessage(HttpMethod.Get, $"/api/patients/{patientId}/history"))
        {
            breakGlass.Headers.Add(PatientAccess.BreakGlassHeader, marker + " covering a crisis call");
            (await app.As(await app.PasswordToken(outsider.Email, outsider.Password)).SendAsync(breakGlass, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await ScanAsync(app, marker, nhsNumber)).ShouldNotBeEmpty("the scan must see the data before it is erased");

        // Twenty-one years on, past the twenty-year retention after the last contact.
        app.Clock.Offset += TimeSpan.FromDays(366 * 21);
        using var compliance = app.As(await app.PasswordToken(ClinicApp.ComplianceEmail, ClinicApp.StaffPassword));
        // Found by the e-mail address in the request letter: the address must not stay behind in the access log.
        (await compliance.GetFromJsonAsync<FoundPatient>($"/api/compliance/patients?email={Uri.EscapeDataString(email)}", ClinicApp.Json, Cancel))!
            .PatientId.ShouldBe(patientId);
        var erased = await compliance.PostAsJsonAsync($"/api/compliance/patients/{patientId}/erasure", new { reason = "Patient's written request of 1 March" }, Cancel);
        erased.StatusCode.ShouldBe(HttpStatusCode.OK, await erased.Content.ReadAsStringAsync(Cancel));
        var receipt = (await erased.Content.ReadFromJsonAsync<PatientErased>(ClinicApp.Json, Cancel))!;
        receipt.OverrideReason.ShouldBeNull();
        receipt.LastContact.ShouldNotBeNull();
        receipt.RetainUntil!.Value.ShouldBeLessThan(app.Clock.GetUtcNow());
        receipt.Actions.ShouldBe(["nhs-number-index-removed", "personal-data-key-destroyed", "sign-in-account-deleted"]);

        var record = await compliance.GetFromJsonAsync<JsonElement>($"/api/patients/{patientId}/record", ClinicApp.Json, Cancel);
        record.GetProperty("patient").GetProperty("givenName").ValueKind.ShouldBe(JsonValueKind.Null);
        (await ScanAsync(app, marker, nhsNumber)).ShouldBeEmpty("nothing readable is left the moment the erasure answers");

        using (var daemon = await app.Store.BuildProjectionDaemonAsync())
        {
            foreach (var projection in ((DocumentStore)app.Store).Options.Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live))
            {
                await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(2), Cancel);
            }
        }

        (await ScanAsync(app, marker, nhsNumber)).ShouldBeEmpty();
        (await compliance.GetFromJsonAsync<ChainVerification>("/api/compliance/chain/verify", ClinicApp.Json, Cancel))!.Intact.ShouldBeTrue();
        var replay = await compliance.PostAsync("/api/compliance/replay/verify", null, Cancel);
        (await replay.Content.ReadFromJsonAsync<ReplayReport>(ClinicApp.Json, Cancel))!.Matches.ShouldBeTrue();
    }

    /// <summary>Every row of every table in the database, as text, searched for the personal values (and their hex, for bytea).</summary>
    private static async Task<string[]> ScanAsync(ClinicApp app, string marker, string nhsNumber)
    {
        await using var sql = new NpgsqlConnection(app.ConnectionString);
        await sql.OpenAsync(Cancel);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
                         "select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables " +
                         "where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')", sql))
        await using (var reader = await list.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                tables.Add(reader.GetString(0));
            }
        }

        tables.Count.ShouldBeGreaterThan(20);
        var needles = new[] { marker, nhsNumber, Convert.ToHexStringLower(Encoding.UTF8.GetBytes(marker)) };
        var found = new List<string>();
        foreach (var table in tables)
        {
            await using var search = new NpgsqlCommand($"select count(*) from {table} t where t::text ilike any($1)", sql);
            search.Parameters.AddWithValue(needles.Select(n => $"%{n}%").ToArray());
            if ((long)(await search.ExecuteScalarAsync(Cancel))! > 0)
            {
                found.Add(table);
            }
        }

        return found.ToArray();
    }
}
