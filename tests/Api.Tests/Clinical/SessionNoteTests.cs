using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Clinical;

public class SessionNoteTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record Setting(Guid AppointmentId, PatientAccounts.PatientAccount Patient, HttpClient AsPatient, Scenarios.TherapistAccount Therapist,
        HttpClient AsTherapist);

    private async Task<Setting> ConfirmedSession()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var admin = await app.AsAdmin();
        var start = LondonInDays(app, 2, 11);
        var response = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId = patient.Id, funding = "nhs" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var booked = (await response.Content.ReadFromJsonAsync<Api.Scheduling.Booking.BookedAppointment>(ClinicApp.Json, Cancel))!;
        return new Setting(booked.AppointmentId, patient, app.As(await app.PasswordToken(patient.Email, patient.Password)), therapist,
            app.As(await app.PasswordToken(therapist.Email, therapist.Password)));
    }

    [Fact]
    public async Task a_therapist_drafts_edits_signs_adds_to_and_releases_a_note_and_the_patient_sees_it_only_once_released()
    {
        var s = await ConfirmedSession();
        var note = $"/api/appointments/{s.AppointmentId}/note";
        var before = app.Clock.GetUtcNow();

        (await s.AsTherapist.PostAsJsonAsync(note, new { text = "Low mood; sleep poor." }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await s.AsTherapist.PutAsJsonAsync(note, new { expectedVersion = 1, text = "Low mood; sleep poor; agreed a diary." }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await s.AsPatient.GetAsync(note, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await s.AsTherapist.PostAsJsonAsync($"{note}/signature", new { expectedVersion = 2 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var edit = await s.AsTherapist.PutAsJsonAsync(note, new { expectedVersion = 3, text = "Rewritten." }, Cancel);
        edit.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(edit)).GetProperty("rule").GetString().ShouldBe("note-signed");
        var signAgain = await s.AsTherapist.PostAsJsonAsync($"{note}/signature", new { expectedVersion = 3 }, Cancel);
        (await Scenarios.Problem(signAgain)).GetProperty("rule").GetString().ShouldBe("already-signed");

        (await s.AsTherapist.PostAsJsonAsync($"{note}/addenda", new { expectedVersion = 3, text = "Phoned GP." }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await s.AsTherapist.PostAsJsonAsync($"{note}/release", new { expectedVersion = 4 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var seen = (await s.AsPatient.GetFromJsonAsync<SessionNote>(note, ClinicApp.Json, Cancel))!;
        seen.Text.Value.ShouldBe("Low mood; sleep poor; agreed a diary.");
        seen.Addenda.ShouldHaveSingleItem().Text.Value.ShouldBe("Phoned GP.");
        var events = await Scenarios.Events(app, SessionNote.StreamId(s.AppointmentId));
        events.Select(e => e.Data.GetType()).ShouldBe([typeof(SessionNoteDrafted), typeof(SessionNoteDraftEdited), typeof(SessionNoteSigned),
            typeof(SessionNoteAddendumAdded), typeof(SessionNoteReleasedToPatient)]);
        foreach (var e in events)
        {
            AuditAssertions.StampedBy(e, s.Therapist.Id.ToString(), ClinicRoles.Therapist, null, before, app.Clock);
        }
    }

    [Fact]
    public async Task a_note_entered_in_error_keeps_its_text_for_the_care_team()
    {
        var s = await ConfirmedSession();
        var note = $"/api/appointments/{s.AppointmentId}/note";
        await s.AsTherapist.PostAsJsonAsync(note, new { text = "Wrong patient's details." }, Cancel);
        await s.AsTherapist.PostAsJsonAsync($"{note}/signature", new { expectedVersion = 1 }, Cancel);

        (await s.AsTherapist.PostAsJsonAsync($"{note}/entered-in-error", new { expectedVersion = 2, reason = "Written in the wrong record" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var kept = (await s.AsTherapist.GetFromJsonAsync<SessionNote>(note, ClinicApp.Json, Cancel))!;
        kept.Status.ShouldBe(NoteStatus.EnteredInError);
        kept.Text.Value.ShouldBe("Wrong patient's details.");
        kept.ErrorReason!.Value.Value.ShouldBe("Written in the wrong record");
    }

    [Fact]
    public async Task another_therapist_or_patient_cannot_read_or_write_the_note()
    {
        var s = await ConfirmedSession();
        var other = await ConfirmedSession();
        var note = $"/api/appointments/{s.AppointmentId}/note";
        await s.AsTherapist.PostAsJsonAsync(note, new { text = "Private." }, Cancel);

        (await other.AsTherapist.PostAsJsonAsync($"/api/appointments/{s.AppointmentId}/note", new { text = "Mine now" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.AsTherapist.GetAsync(note, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.AsTherapist.PutAsJsonAsync(note, new { expectedVersion = 1, text = "Changed" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.AsPatient.GetAsync(note, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.AsPatient.GetAsync($"/api/patients/{s.Patient.Id}/notes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await s.AsPatient.PostAsJsonAsync(note, new { text = "x" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Scenarios.Events(app, SessionNote.StreamId(s.AppointmentId))).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_second_draft_for_one_session_is_a_conflict_and_an_over_long_note_a_400()
    {
        var s = await ConfirmedSession();
        var note = $"/api/appointments/{s.AppointmentId}/note";

        (await s.AsTherapist.PostAsJsonAsync(note, new { text = new string('x', SessionNote.MaxLength + 1) }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await s.AsTherapist.PostAsJsonAsync(note, new { text = "First." }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await s.AsTherapist.PostAsJsonAsync(note, new { text = "Second." }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task a_note_withdrawn_after_release_is_not_shown_to_the_patient_even_as_the_record_stood_before()
    {
        var s = await ConfirmedSession();
        var note = $"/api/appointments/{s.AppointmentId}/note";
        await s.AsTherapist.PostAsJsonAsync(note, new { text = "Released, then found to be about someone else." }, Cancel);
        await s.AsTherapist.PostAsJsonAsync($"{note}/signature", new { expectedVersion = 1 }, Cancel);
        (await s.AsTherapist.PostAsJsonAsync($"{note}/release", new { expectedVersion = 2 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var whileReleased = (await Scenarios.Events(app, SessionNote.StreamId(s.AppointmentId)))[^1].Timestamp;
        var record = $"/api/patients/{s.Patient.Id}/record?asOf={Uri.EscapeDataString(whileReleased.ToString("O"))}";
        (await s.AsPatient.GetFromJsonAsync<Api.Clinical.Record.RecordAsOf>(record, ClinicApp.Json, Cancel))!.Notes.ShouldHaveSingleItem();

        (await s.AsTherapist.PostAsJsonAsync($"{note}/entered-in-error", new { expectedVersion = 3, reason = "Wrong patient" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        (await s.AsPatient.GetFromJsonAsync<Api.Clinical.Record.RecordAsOf>(record, ClinicApp.Json, Cancel))!.Notes.ShouldBeEmpty();
        (await s.AsTherapist.GetFromJsonAsync<Api.Clinical.Record.RecordAsOf>(record, ClinicApp.Json, Cancel))!.Notes.ShouldHaveSingleItem()
            .Status.ShouldBe(NoteStatus.Signed);
    }
}
