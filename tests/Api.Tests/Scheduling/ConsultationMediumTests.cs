using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Api.Tests.Patients;
using EventSourcedClinic.Domain.Scheduling.Booking;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Scheduling;

/// <summary>The therapist records how a session was held: the appointment then shows it, and the stream keeps the change.</summary>
public class ConsultationMediumTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_session_held_by_telephone_is_recorded_once_by_its_therapist_and_shown_on_the_appointment()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var admin = await app.AsAdmin();
        var start = LondonInDays(app, 5, 10);
        var response = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId = patient.Id, funding = "nhs" });
        var booked = (await response.Content.ReadFromJsonAsync<BookedAppointment>(ClinicApp.Json, Cancel))!;
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var medium = $"/api/appointments/{booked.AppointmentId}/medium";

        var tooSoon = await asTherapist.PostAsJsonAsync(medium, new { expectedVersion = 2, medium = "telephone" }, Cancel);
        (await Scenarios.Problem(tooSoon)).GetProperty("rule").GetString().ShouldBe("not-held");

        // The session took place (started by the clinic's own write path; opening it through HTTP waits for its hour).
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.Append(booked.AppointmentId, new SessionStarted(booked.AppointmentId, start));
            await session.SaveChangesAsync(Cancel);
        }

        (await asTherapist.PostAsJsonAsync(medium, new { expectedVersion = 3, medium = "carrier-pigeon" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var outsider = await Scenarios.Onboard(app);
        using var asOutsider = app.As(await app.PasswordToken(outsider.Email, outsider.Password));
        (await asOutsider.PostAsJsonAsync(medium, new { expectedVersion = 3, medium = "telephone" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var recorded = await asTherapist.PostAsJsonAsync(medium, new { expectedVersion = 3, medium = "telephone" }, Cancel);
        recorded.StatusCode.ShouldBe(HttpStatusCode.OK, await recorded.Content.ReadAsStringAsync(Cancel));
        (await recorded.Content.ReadFromJsonAsync<StreamVersion>(ClinicApp.Json, Cancel))!.Version.ShouldBe(4);
        (await asTherapist.PostAsJsonAsync(medium, new { expectedVersion = 3, medium = "telephone" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await asTherapist.PostAsJsonAsync(medium, new { expectedVersion = 4, medium = "telephone" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var shown = await asTherapist.GetFromJsonAsync<AppointmentView>($"/api/appointments/{booked.AppointmentId}", ClinicApp.Json, Cancel);
        shown!.Medium.ShouldBe(ConsultationMedium.Telephone);
        shown.Version.ShouldBe(4);
        (await Scenarios.Events(app, booked.AppointmentId)).Select(e => e.Data).OfType<ConsultationMediumRecorded>().ShouldHaveSingleItem();
    }
}
