using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using Npgsql;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Clinical;

/// <summary>Personal data and clinical free text never reach the event store, or its read models, in plaintext (ADR 0008).</summary>
public class EncryptionAtRestTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_scan_of_every_event_and_read_model_row_finds_none_of_the_patients_personal_data_or_note_in_plaintext()
    {
        var word = Scenarios.UniqueWord();
        var (given, family, email, nhs) = ($"Zephyrine{word}", $"Quillfeather{word}", $"z.{word}@tests.clinic", Scenarios.NhsNumber());
        var registered = await app.Anonymous().PostAsJsonAsync("/api/patients",
            new { givenName = given, familyName = family, dateOfBirth = "1987-06-05", email, password = "patient-password-1", nhsNumber = nhs }, Cancel);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        var patientId = (await registered.Content.ReadFromJsonAsync<Api.Patients.Registration.RegisteredPatient>(ClinicApp.Json, Cancel))!.PatientId;
        var therapist = await BookableTherapist(app);
        using var admin = await app.AsAdmin();
        var start = LondonInDays(app, 2, 15);
        var booked = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId, funding = "nhs" });
        var appointmentId = (await booked.Content.ReadFromJsonAsync<Api.Scheduling.Booking.BookedAppointment>(ClinicApp.Json, Cancel))!.AppointmentId;
        var noteText = $"Disclosed childhood event {word}-secret";
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        (await asTherapist.PostAsJsonAsync($"/api/appointments/{appointmentId}/note", new { text = noteText }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var asPatient = app.As(await app.PasswordToken(email, "patient-password-1"));
        var street = $"{word} Windmill Lane";
        (await asPatient.PutAsJsonAsync($"/api/patients/{patientId}/contact-details", new
        {
            expectedVersion = 1, phone = "+44 20 7946 0958", address = new { line1 = street, town = "Llandudno", postcode = "LL30 2LP" },
            emergencyContact = new { name = $"Ffion {word}", phone = "07700 900456", relationship = "sister" },
        }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The API still shows them to those allowed to see them...
        (await asPatient.GetStringAsync("/api/patients/me", Cancel)).ShouldContain(given);
        (await asTherapist.GetFromJsonAsync<SessionNote>($"/api/appointments/{appointmentId}/note", ClinicApp.Json, Cancel))!.Text.Value.ShouldBe(noteText);

        // ...but no row of the clinic's schema holds them in the clear.
        var rows = await EveryRowOfTheClinicSchema();
        rows.ShouldNotBeEmpty();
        foreach (var secret in new[] { given, family, email, nhs, "1987-06-05", noteText, word + "-secret", street, "7946 0958", $"Ffion {word}", "LL30 2LP" })
        {
            rows.ShouldNotContain(row => row.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' was found in plaintext");
        }
    }

    private async Task<List<string>> EveryRowOfTheClinicSchema()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Cancel);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = 'clinic' and table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"select t::text from clinic.\"{table}\" t", connection);
            await using var reader = await select.ExecuteReaderAsync(Cancel);
            while (await reader.ReadAsync(Cancel))
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }
}
