using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Therapists.Directory;

namespace EventSourcedClinic.Api.Tests.Therapists.Directory;

public class SearchDirectoryTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<DirectoryPage> Search(string query) =>
        (await app.Anonymous().GetFromJsonAsync<DirectoryPage>($"/api/directory/therapists?{query}", ClinicApp.Json, Cancel))!;

    [Fact]
    public async Task anyone_finds_listed_therapists_by_language_and_method_and_only_listed_ones()
    {
        var word = Scenarios.UniqueWord();
        var polishCbt = await Scenarios.Listed(app, ["pl", "en"], ["cbt"], ["anxiety"], 7000, $"Polish CBT {word}", "A Polish CBT");
        var polishEmdr = await Scenarios.Listed(app, ["pl"], ["emdr"], ["trauma-ptsd"], 8000, $"Polish EMDR {word}", "B Polish EMDR");
        var englishCbt = await Scenarios.Listed(app, ["en"], ["cbt"], ["depression"], 5000, $"English CBT {word}", "C English CBT");
        var unverified = await Scenarios.Onboard(app, "D Unverified");
        using (var admin = await app.AsAdmin())
        {
            (await admin.PutAsJsonAsync($"/api/therapists/{unverified.Id}/profile", new
            {
                expectedVersion = 1, specialisations = new[] { "anxiety" }, methods = new[] { "cbt" }, languages = new[] { "pl" },
                biography = $"Unverified {word}", feePence = 4000, sessionMinutes = 50,
            }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var found = await Search($"language=pl&method=cbt&q={word}");

        found.Total.ShouldBe(1);
        found.Items.ShouldHaveSingleItem().Id.ShouldBe(polishCbt.Id);
        (await Search($"language=PL&q={word}")).Items.Select(i => i.Id).ShouldBe([polishCbt.Id, polishEmdr.Id]);
        (await Search($"method=cbt&q={word}")).Items.Select(i => i.Id).ShouldBe([polishCbt.Id, englishCbt.Id]);
        (await Search($"specialisation=trauma-ptsd&q={word}")).Items.ShouldHaveSingleItem().Id.ShouldBe(polishEmdr.Id);
        (await Search($"maxFeePence=7000&q={word}")).Items.Select(i => i.Id).ShouldBe([polishCbt.Id, englishCbt.Id]);
        (await Search($"q={word}")).Items.ShouldNotContain(i => i.Id == unverified.Id);
    }

    [Fact]
    public async Task results_are_paged_and_sorted_with_a_total()
    {
        var word = Scenarios.UniqueWord();
        var fees = new[] { 9000, 4000, 6000, 5000, 7000 };
        for (var i = 0; i < fees.Length; i++)
        {
            await Scenarios.Listed(app, ["en"], ["act"], ["stress"], fees[i], $"Stress {word}", $"Therapist {i}");
        }

        var first = await Search($"q={word}&sort=fee&page=1&pageSize=2");
        var second = await Search($"q={word}&sort=fee&page=2&pageSize=2");
        var third = await Search($"q={word}&sort=fee&page=3&pageSize=2");

        first.Total.ShouldBe(5);
        first.Items.Select(i => i.FeePence).ShouldBe([4000, 5000]);
        second.Items.Select(i => i.FeePence).ShouldBe([6000, 7000]);
        third.Items.Select(i => i.FeePence).ShouldBe([9000]);
        (await Search($"q={word}&sort=fee-desc&pageSize=1")).Items.Single().FeePence.ShouldBe(9000);
        (await Search($"q={word}&sort=name")).Items.Select(i => i.FullName).ShouldBe(Enumerable.Range(0, 5).Select(i => $"Therapist {i}"));
    }

    [Fact]
    public async Task free_text_matches_names_biographies_and_method_names()
    {
        var word = Scenarios.UniqueWord();
        var therapist = await Scenarios.Listed(app, ["cy"], ["emdr"], ["trauma-ptsd"], 8000, $"Trawma {word}", $"Dr {word} Jones");

        (await Search($"q={word.ToUpperInvariant()}")).Items.ShouldHaveSingleItem().Id.ShouldBe(therapist.Id);
        (await Search($"q=desensitisation&language=cy&method=emdr")).Items.ShouldContain(i => i.Id == therapist.Id);
    }

    [Fact]
    public async Task the_public_profile_shows_no_email_or_standing()
    {
        var word = Scenarios.UniqueWord();
        var therapist = await Scenarios.Listed(app, ["ur", "en"], ["cbt"], ["depression"], 6500, $"Urdu {word}");

        var json = await app.Anonymous().GetStringAsync($"/api/directory/therapists/{therapist.Id}", Cancel);

        json.ShouldNotContain(therapist.Email);
        var profile = JsonDocument.Parse(json).RootElement;
        profile.TryGetProperty("email", out _).ShouldBeFalse();
        profile.TryGetProperty("isSuspended", out _).ShouldBeFalse();
        profile.GetProperty("languages")[1].GetProperty("name").GetString().ShouldBe("Urdu");
    }

    [Fact]
    public async Task an_unlisted_or_unknown_therapist_has_no_public_profile()
    {
        var unverified = await Scenarios.Onboard(app);

        (await app.Anonymous().GetAsync($"/api/directory/therapists/{unverified.Id}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Anonymous().GetAsync($"/api/directory/therapists/{Guid.CreateVersion7()}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("language=xx", "language")]
    [InlineData("language=polish", "language")]
    [InlineData("method=reiki", "method")]
    [InlineData("specialisation=everything", "specialisation")]
    [InlineData("maxFeePence=-1", "maxFeePence")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("sort=price", "sort")]
    public async Task bad_search_parameters_are_a_400_naming_them(string query, string field)
    {
        var response = await app.Anonymous().GetAsync($"/api/directory/therapists?{query}", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(response)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("page=abc")]
    [InlineData("maxFeePence=lots")]
    public async Task unparseable_numbers_are_a_400(string query)
    {
        var response = await app.Anonymous().GetAsync($"/api/directory/therapists?{query}", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task the_catalogue_lists_the_codes_a_search_may_use()
    {
        var catalogue = (await app.Anonymous().GetFromJsonAsync<DirectoryCatalogue>("/api/directory/catalogue", ClinicApp.Json, Cancel))!;

        catalogue.Languages.ShouldContain(new CodeAndName("cy", "Welsh"));
        catalogue.Methods.ShouldContain(m => m.Code == "emdr");
        catalogue.Specialisations.ShouldContain(s => s.Code == "ocd");
    }
}
