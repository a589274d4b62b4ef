using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Scheduling.Availability;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Scheduling;

public class AvailabilityTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_therapist_publishes_hours_and_the_event_names_them_and_stating_them_again_appends_nothing()
    {
        var therapist = await Scenarios.Listed(app, ["en"], ["cbt"], ["anxiety"], 6000, "Hours");
        var before = app.Clock.GetUtcNow();
        object[] hours = [new { day = "Monday", start = "09:00", end = "12:00" }, new { day = "Monday", start = "13:00", end = "17:30" }];

        (await SetHours(app, therapist, hours, buffer: 10)).ShouldBe(1);
        (await SetHours(app, therapist, hours, buffer: 10, expectedVersion: 1)).ShouldBe(1);

        var published = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/directory/therapists/{therapist.Id}/availability", Cancel);
        published.GetProperty("version").GetInt64().ShouldBe(1);
        published.GetProperty("rules").GetProperty("hours").GetArrayLength().ShouldBe(2);
        var e = (await Scenarios.Events(app, EventSourcedClinic.Domain.Scheduling.Availability.Availability.StreamId(therapist.Id))).ShouldHaveSingleItem();
        e.Data.ShouldBeOfType<WorkingHoursSet>().BufferMinutes.ShouldBe(10);
        AuditAssertions.StampedBy(e, therapist.Id.ToString(), ClinicRoles.Therapist, null, before, app.Clock);
    }

    [Theory]
    [InlineData("{\"expectedVersion\":0,\"hours\":[{\"day\":\"Funday\",\"start\":\"09:00\",\"end\":\"12:00\"}],\"bufferMinutes\":10}")]
    [InlineData("{\"expectedVersion\":0,\"hours\":[{\"day\":\"Monday\",\"start\":\"9am\",\"end\":\"12:00\"}],\"bufferMinutes\":10}")]
    [InlineData("{\"expectedVersion\":0,\"hours\":[{\"day\":\"Monday\",\"start\":\"12:00\",\"end\":\"09:00\"}],\"bufferMinutes\":10}")]
    [InlineData("{\"expectedVersion\":0,\"hours\":[],\"bufferMinutes\":-5}")]
    [InlineData("{\"expectedVersion\":0,\"hours\":[],\"bufferMinutes\":10,\"horizonWeeks\":500}")]
    public async Task bad_hours_are_a_400(string json)
    {
        var therapist = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));

        var response = await self.PutAsync($"/api/therapists/{therapist.Id}/availability", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task overlapping_intervals_are_a_422_and_a_stale_version_a_409()
    {
        var therapist = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));

        var overlap = await self.PutAsJsonAsync($"/api/therapists/{therapist.Id}/availability", new
        {
            expectedVersion = 0, bufferMinutes = 0,
            hours = new[] { new { day = "Friday", start = "09:00", end = "12:00" }, new { day = "Friday", start = "11:00", end = "14:00" } },
        }, Cancel);
        (await Scenarios.Problem(overlap)).GetProperty("rule").GetString().ShouldBe("intervals-overlap");

        var stale = await self.PutAsJsonAsync($"/api/therapists/{therapist.Id}/availability", new
        {
            expectedVersion = 3, bufferMinutes = 0, hours = new[] { new { day = "Friday", start = "09:00", end = "12:00" } },
        }, Cancel);
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task a_therapist_cannot_set_another_therapists_hours()
    {
        var mine = await Scenarios.Onboard(app);
        var theirs = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(mine.Email, mine.Password));

        var response = await self.PutAsJsonAsync($"/api/therapists/{theirs.Id}/availability",
            new { expectedVersion = 0, bufferMinutes = 0, hours = new[] { new { day = "Friday", start = "09:00", end = "12:00" } } }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task time_off_removes_the_days_slots_and_removing_it_brings_them_back()
    {
        var therapist = await BookableTherapist(app);
        using var self = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var day = LondonInDays(app, 5, 9);
        async Task<int> SlotsThatDay() => (await app.Anonymous().GetFromJsonAsync<JsonElement>(
            $"/api/directory/therapists/{therapist.Id}/slots?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}", Cancel)).GetProperty("slots").GetArrayLength();
        (await SlotsThatDay()).ShouldBe(12);

        var added = await self.PostAsJsonAsync($"/api/therapists/{therapist.Id}/availability/time-off",
            new { expectedVersion = 1, from = day.ToString("yyyy-MM-dd"), to = day.ToString("yyyy-MM-dd"), reason = "Training" }, Cancel);
        added.StatusCode.ShouldBe(HttpStatusCode.OK, await added.Content.ReadAsStringAsync(Cancel));
        var timeOffId = (await added.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("timeOffId").GetGuid();
        (await SlotsThatDay()).ShouldBe(0);
        using var patient = await AsNewPatient(app);
        (await Scenarios.Problem(await Book(patient, therapist.Id, day.AddHours(1)))).GetProperty("rule").GetString().ShouldBe("therapist-time-off");

        (await self.PostAsJsonAsync($"/api/therapists/{therapist.Id}/availability/time-off-removal", new { expectedVersion = 2, timeOffId }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SlotsThatDay()).ShouldBe(12);
    }
}
