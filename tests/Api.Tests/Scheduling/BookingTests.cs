using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Api.Scheduling.Calendars;
using EventSourcedClinic.Domain;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Scheduling;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Scheduling;

public class BookingTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_patient_holds_a_slot_and_it_shows_in_both_calendars_and_as_icalendar()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        var start = LondonInDays(app, 3, 10);
        var before = app.Clock.GetUtcNow();

        var booked = await Booked(asPatient, therapist.Id, start);

        booked.Status.ShouldBe(AppointmentStatus.Held);
        booked.Start.ShouldBe(start);
        booked.End.ShouldBe(start.AddMinutes(50));
        booked.FeePence.ShouldBe(6000);
        booked.HoldExpiresAt.ShouldNotBeNull();
        var e = (await Scenarios.Events(app, booked.AppointmentId)).ShouldHaveSingleItem();
        AuditAssertions.StampedBy(e, patient.Id.ToString(), ClinicRoles.Patient, null, before, app.Clock);

        var mine = await asPatient.GetFromJsonAsync<PatientCalendar>("/api/calendar/patient", ClinicApp.Json, Cancel);
        mine!.Upcoming.ShouldHaveSingleItem().Id.ShouldBe(booked.AppointmentId);
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var week = await asTherapist.GetFromJsonAsync<TherapistCalendar>(
            $"/api/calendar/therapist?from={start:yyyy-MM-dd}&to={start.AddDays(6):yyyy-MM-dd}", ClinicApp.Json, Cancel);
        week!.Appointments.ShouldHaveSingleItem().PatientId.ShouldBe(patient.Id);

        var ics = await asPatient.GetAsync($"/api/appointments/{booked.AppointmentId}/ics", Cancel);
        ics.Content.Headers.ContentType!.MediaType.ShouldBe("text/calendar");
        var text = await ics.Content.ReadAsStringAsync(Cancel);
        text.ShouldContain($"DTSTART:{start.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}");
        text.ShouldContain("STATUS:TENTATIVE");
        text.ShouldContain("\r\n");
    }

    [Fact]
    public async Task a_time_written_with_any_offset_books_the_same_instant()
    {
        var therapist = await BookableTherapist(app);
        using var patient = await AsNewPatient(app);
        var start = LondonInDays(app, 4, 15).ToOffset(TimeSpan.FromHours(5.5));

        var booked = await Booked(patient, therapist.Id, start);

        booked.Start.ShouldBe(start);
        booked.Start.Offset.ShouldBe(TimeSpan.Zero);
        var moved = await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/reschedule",
            new { expectedVersion = 1, newStart = LondonInDays(app, 4, 16).ToOffset(TimeSpan.FromHours(-4)) }, Cancel);
        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task a_calendar_week_in_british_summer_time_is_served()
    {
        var therapist = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));

        var response = await self.GetAsync("/api/calendar/therapist?from=2027-07-05&to=2027-07-11", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task the_taken_slot_leaves_the_free_slots_and_returns_when_the_booking_is_cancelled()
    {
        var therapist = await BookableTherapist(app);
        using var patient = await AsNewPatient(app);
        var start = LondonInDays(app, 4, 11);
        async Task<bool> Free() => (await app.Anonymous().GetFromJsonAsync<JsonElement>(
                $"/api/directory/therapists/{therapist.Id}/slots?from={start:yyyy-MM-dd}&to={start:yyyy-MM-dd}", Cancel))
            .GetProperty("slots").EnumerateArray().Any(s => s.GetProperty("start").GetDateTimeOffset() == start);

        (await Free()).ShouldBeTrue();
        var booked = await Booked(patient, therapist.Id, start);
        (await Free()).ShouldBeFalse();

        var cancelled = await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/cancellation",
            new { expectedVersion = 1, reason = "Changed my mind" }, Cancel);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK, await cancelled.Content.ReadAsStringAsync(Cancel));
        (await Free()).ShouldBeTrue();
        (await Scenarios.Events(app, booked.AppointmentId)).Last().Data.ShouldBeOfType<AppointmentCancelled>()
            .FeeOutcome.ShouldBe(FeeOutcome.NothingCharged);
    }

    [Fact]
    public async Task an_admin_confirms_a_paid_hold_and_a_late_patient_cancellation_then_forfeits_the_fee()
    {
        var therapist = await Scenarios.Listed(app, ["en"], ["cbt"], ["anxiety"], 6000, "Around the clock");
        await SetHours(app, therapist, EveryDay.Select(d => new { day = d.ToString(), start = "00:00", end = "23:59" }).ToArray(), buffer: 10, noticeHours: 0);
        using var patient = await AsNewPatient(app);
        var free = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/directory/therapists/{therapist.Id}/slots", Cancel);
        var start = free.GetProperty("slots")[1].GetProperty("start").GetDateTimeOffset();
        var booked = await Booked(patient, therapist.Id, start);
        using var admin = await app.AsAdmin();

        var confirmed = await admin.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/confirmation",
            new { expectedVersion = 1, reference = "pi_test_123" }, Cancel);
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync(Cancel));
        (await admin.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/confirmation", new { expectedVersion = 2, reference = "again" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var cancelled = await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/cancellation",
            new { expectedVersion = 2, reason = "Cannot make it" }, Cancel);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        var e = (await Scenarios.Events(app, booked.AppointmentId)).Last().Data.ShouldBeOfType<AppointmentCancelled>();
        (start - app.Clock.GetUtcNow()).ShouldBeLessThan(TimeSpan.FromHours(24));
        e.FeeOutcome.ShouldBe(FeeOutcome.FeeForfeited);
        e.CancelledBy.ShouldBe(CancelledBy.Patient);
    }

    [Fact]
    public async Task a_therapist_cancelling_a_paid_session_refunds_it_in_full()
    {
        var therapist = await BookableTherapist(app, noticeHours: 0);
        using var patient = await AsNewPatient(app);
        var booked = await Booked(patient, therapist.Id, LondonInDays(app, 1, 18));
        using var admin = await app.AsAdmin();
        (await admin.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/confirmation", new { expectedVersion = 1, reference = "pi" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));

        (await asTherapist.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/cancellation", new { expectedVersion = 2, reason = "Ill" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var e = (await Scenarios.Events(app, booked.AppointmentId)).Last().Data.ShouldBeOfType<AppointmentCancelled>();
        e.FeeOutcome.ShouldBe(FeeOutcome.FullRefund);
        e.RefundPence.ShouldBe(6000);
    }

    [Fact]
    public async Task the_clinic_books_an_nhs_session_for_a_patient_and_it_is_confirmed_at_once()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var admin = await app.AsAdmin();

        var response = await Book(admin, therapist.Id, LondonInDays(app, 5, 9),
            new { therapistId = therapist.Id, start = LondonInDays(app, 5, 9), patientId = patient.Id, funding = "nhs" });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        var booked = (await response.Content.ReadFromJsonAsync<BookedAppointment>(ClinicApp.Json, Cancel))!;
        booked.Status.ShouldBe(AppointmentStatus.Confirmed);
        booked.FeePence.ShouldBe(0);
    }

    [Fact]
    public async Task a_patient_cannot_book_nhs_funding_or_for_someone_else()
    {
        var therapist = await BookableTherapist(app);
        var other = await PatientAccounts.Register(app);
        using var patient = await AsNewPatient(app);
        var start = LondonInDays(app, 5, 10);

        (await Book(patient, therapist.Id, start, new { therapistId = therapist.Id, start, funding = "nhs" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Book(patient, therapist.Id, start, new { therapistId = therapist.Id, start, patientId = other.Id })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Book(app.As(await app.PasswordToken(therapist.Email, therapist.Password)), therapist.Id, start)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(-2, 10, 0, "slot-in-past")]
    [InlineData(3, 23, 0, "outside-availability")]
    [InlineData(3, 10, 30, "outside-availability")]
    [InlineData(3, 21, 0, "outside-availability")]
    [InlineData(70, 10, 0, "beyond-horizon")]
    public async Task times_that_break_a_rule_are_a_422_naming_it(int days, int hour, int minute, string rule)
    {
        var therapist = await BookableTherapist(app);
        using var patient = await AsNewPatient(app);

        var response = await Book(patient, therapist.Id, LondonInDays(app, days, hour, minute));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe(rule);
    }

    [Fact]
    public async Task inside_the_minimum_notice_is_a_422()
    {
        var therapist = await BookableTherapist(app, noticeHours: 48);
        using var patient = await AsNewPatient(app);

        var response = await Book(patient, therapist.Id, LondonInDays(app, 1, 12));

        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe("minimum-notice");
    }

    [Fact]
    public async Task a_suspended_therapist_cannot_be_booked_and_an_unknown_one_is_not_found()
    {
        var therapist = await BookableTherapist(app);
        using var admin = await app.AsAdmin();
        (await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/suspension", new { expectedVersion = therapist.Version, reason = "review" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        using var patient = await AsNewPatient(app);

        var suspended = await Book(patient, therapist.Id, LondonInDays(app, 3, 10));
        var unknown = await Book(patient, Guid.CreateVersion7(), LondonInDays(app, 3, 10));

        (await Scenarios.Problem(suspended)).GetProperty("rule").GetString().ShouldBe("therapist-not-bookable");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"therapistId\":\"not-a-guid\",\"start\":\"2027-03-01T10:00:00Z\"}")]
    [InlineData("{\"therapistId\":\"0195c0de-0000-7000-8000-000000000000\",\"start\":\"next tuesday\"}")]
    [InlineData("{\"therapistId\":\"0195c0de-0000-7000-8000-000000000000\"}")]
    [InlineData("{}")]
    public async Task malformed_bookings_are_a_400(string json)
    {
        using var patient = await AsNewPatient(app);

        var response = await patient.PostAsync("/api/appointments", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task someone_elses_appointment_is_not_found_for_reading_or_acting()
    {
        var therapist = await BookableTherapist(app);
        using var owner = await AsNewPatient(app);
        var booked = await Booked(owner, therapist.Id, LondonInDays(app, 6, 10));
        using var stranger = await AsNewPatient(app);
        var otherTherapist = await Scenarios.Onboard(app);
        using var asOtherTherapist = app.As(await app.PasswordToken(otherTherapist.Email, otherTherapist.Password));

        (await stranger.GetAsync($"/api/appointments/{booked.AppointmentId}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/appointments/{booked.AppointmentId}/ics", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/cancellation", new { expectedVersion = 1, reason = "x" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asOtherTherapist.GetAsync($"/api/appointments/{booked.AppointmentId}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Scenarios.Events(app, booked.AppointmentId)).Count.ShouldBe(1);
        (await owner.GetFromJsonAsync<CalendarEntry>($"/api/appointments/{booked.AppointmentId}", ClinicApp.Json, Cancel))!.Status
            .ShouldBe(AppointmentStatus.Held);
    }

    [Fact]
    public async Task rescheduling_onto_a_taken_time_is_a_409_and_keeps_the_old_time_while_a_free_time_moves_it()
    {
        var therapist = await BookableTherapist(app);
        using var first = await AsNewPatient(app);
        using var second = await AsNewPatient(app);
        var taken = LondonInDays(app, 7, 14);
        var mine = LondonInDays(app, 7, 15);
        await Booked(first, therapist.Id, taken);
        var booked = await Booked(second, therapist.Id, mine);

        var clash = await second.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/reschedule", new { expectedVersion = 1, newStart = taken }, Cancel);

        clash.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(clash)).GetProperty("rule").GetString().ShouldBe("slot-taken");
        (await second.GetFromJsonAsync<CalendarEntry>($"/api/appointments/{booked.AppointmentId}", ClinicApp.Json, Cancel))!.Start.ShouldBe(mine);

        var free = LondonInDays(app, 7, 16);
        var moved = await second.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/reschedule", new { expectedVersion = 1, newStart = free }, Cancel);
        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync(Cancel));
        (await second.GetFromJsonAsync<CalendarEntry>($"/api/appointments/{booked.AppointmentId}", ClinicApp.Json, Cancel))!.Start.ShouldBe(free);
        using var third = await AsNewPatient(app);
        (await Book(third, therapist.Id, mine)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task a_session_is_started_and_completed_by_its_therapist_not_by_the_patient()
    {
        var therapist = await Scenarios.Listed(app, ["en"], ["cbt"], ["anxiety"], 6000, "Soon");
        var localNow = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), UkTime.London);
        var soon = localNow.DateTime.AddMinutes(2);
        var opening = new TimeOnly(soon.Hour, soon.Minute, soon.Second);
        var fitsToday = opening < new TimeOnly(23, 0);
        object[] hours = fitsToday
            ? [new { day = localNow.DayOfWeek.ToString(), start = opening.ToString("HH:mm:ss"), end = opening.AddMinutes(55).ToString("HH:mm:ss") }]
            : EveryDay.Select(d => new { day = d.ToString(), start = "08:00", end = "20:00" }).ToArray<object>();
        await SetHours(app, therapist, hours, buffer: 0, noticeHours: 0);
        // Late in the evening the session is tomorrow at the hours' opening: sessions start on the opening's grid (10:00 is not one of 50-minute sessions from 08:00).
        var start = fitsToday ? new DateTimeOffset(localNow.Date.Add(opening.ToTimeSpan()), localNow.Offset) : LondonInDays(app, 1, 8);
        var patient = await PatientAccounts.Register(app);
        using var admin = await app.AsAdmin();
        var response = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId = patient.Id, funding = "nhs" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        var booked = (await response.Content.ReadFromJsonAsync<BookedAppointment>(ClinicApp.Json, Cancel))!;

        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        (await asPatient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/start", new { expectedVersion = 2 }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var started = await asTherapist.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/start", new { expectedVersion = 2 }, Cancel);
        if (!fitsToday)
        {
            // In the last hour of a London day there is no session to open yet; the endpoint still says why.
            (await Scenarios.Problem(started)).GetProperty("rule").GetString().ShouldBe("too-early");
            return;
        }

        started.StatusCode.ShouldBe(HttpStatusCode.OK, await started.Content.ReadAsStringAsync(Cancel));
        (await asTherapist.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/completion", new { expectedVersion = 3 }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Scenarios.Events(app, booked.AppointmentId)).Last().Data.ShouldBeOfType<SessionCompleted>();
    }

    [Fact]
    public async Task a_private_feed_link_serves_the_persons_calendar_and_a_forged_one_serves_nothing()
    {
        var therapist = await BookableTherapist(app);
        using var patient = await AsNewPatient(app);
        var booked = await Booked(patient, therapist.Id, LondonInDays(app, 8, 10));

        var link = (await patient.GetFromJsonAsync<FeedLink>("/api/calendar/feed-link", ClinicApp.Json, Cancel))!;
        var feed = await app.Anonymous().GetStringAsync(new Uri(link.Url).PathAndQuery, Cancel);

        feed.ShouldContain($"UID:{booked.AppointmentId}@eventsourcedclinic");
        (await app.Anonymous().GetAsync("/api/calendar/feed/forged-token", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
