using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Scheduling.Slots;
using EventSourcedClinic.Domain;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Scheduling;

public class SlotSearchTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task welsh_speaking_emdr_therapists_free_next_tuesday_morning_are_found_with_their_slots()
    {
        var word = Scenarios.UniqueWord();
        var welshEmdr = await BookableTherapist(app, languages: ["cy", "en"], methods: ["emdr"], biography: $"EMDR {word}");
        var englishEmdr = await BookableTherapist(app, languages: ["en"], methods: ["emdr"], biography: $"EMDR {word}");
        var today = UkTime.Today(app.Clock.GetUtcNow());
        var tuesday = today.AddDays(((int)DayOfWeek.Tuesday - (int)today.DayOfWeek + 7) % 7 + 7);

        var page = (await app.Anonymous().GetFromJsonAsync<SlotPage>(
            $"/api/directory/slots?language=cy&method=emdr&from={tuesday:yyyy-MM-dd}&to={tuesday:yyyy-MM-dd}&timeOfDay=morning&pageSize=100",
            ClinicApp.Json, Cancel))!;

        var mine = page.Items.Where(i => i.Therapist.Id == welshEmdr.Id).ToArray();
        mine.Select(i => TimeZoneInfo.ConvertTime(i.Start, UkTime.London).Hour).ShouldBe([8, 9, 10, 11]);
        mine.ShouldAllBe(i => UkTime.Today(i.Start) == tuesday);
        page.Items.ShouldNotContain(i => i.Therapist.Id == englishEmdr.Id);
        page.Items.Select(i => i.Start).ShouldBeInOrder();
    }

    [Fact]
    public async Task a_booked_slot_is_not_offered_and_the_afternoon_filter_keeps_to_the_afternoon()
    {
        var word = Scenarios.UniqueWord();
        var therapist = await BookableTherapist(app, languages: ["pl"], methods: ["act"], biography: word);
        using var patient = await AsNewPatient(app);
        var start = LondonInDays(app, 9, 14);
        await Booked(patient, therapist.Id, start);

        var page = (await app.Anonymous().GetFromJsonAsync<SlotPage>(
            $"/api/directory/slots?language=pl&method=act&from={start:yyyy-MM-dd}&to={start:yyyy-MM-dd}&timeOfDay=afternoon&pageSize=100",
            ClinicApp.Json, Cancel))!;

        var hours = page.Items.Where(i => i.Therapist.Id == therapist.Id).Select(i => TimeZoneInfo.ConvertTime(i.Start, UkTime.London).Hour).ToArray();
        hours.ShouldBe([12, 13, 15, 16]);
    }

    [Theory]
    [InlineData("timeOfDay=noon", "timeOfDay")]
    [InlineData("language=xx", "language")]
    [InlineData("from=2027-03-10&to=2027-03-01", "to")]
    [InlineData("from=2027-03-01&to=2027-05-01", "to")]
    [InlineData("pageSize=0", "pageSize")]
    public async Task bad_slot_searches_are_a_400_naming_the_parameter(string query, string field)
    {
        var response = await app.Anonymous().GetAsync($"/api/directory/slots?{query}", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(response)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task an_unparseable_date_is_a_400()
    {
        (await app.Anonymous().GetAsync("/api/directory/slots?from=next-tuesday", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task an_unlisted_therapist_has_no_slots()
    {
        var unverified = await Scenarios.Onboard(app);

        (await app.Anonymous().GetAsync($"/api/directory/therapists/{unverified.Id}/slots", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
