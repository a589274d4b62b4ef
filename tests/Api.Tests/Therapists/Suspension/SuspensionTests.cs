using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Therapists.Suspension;

namespace EventSourcedClinic.Api.Tests.Therapists.Suspension;

public class SuspensionTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_suspended_therapist_leaves_the_directory_and_returns_when_reinstated()
    {
        var word = Scenarios.UniqueWord();
        var therapist = await Scenarios.Listed(app, ["en"], ["cbt"], ["anxiety"], 6000, $"Bio {word}");
        using var admin = await app.AsAdmin();
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("/api/me", Cancel)).GetProperty("subject").GetString()!;
        (await Search(word)).ShouldBe(1);

        var before = app.Clock.GetUtcNow();
        var suspended = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/suspension",
            new { expectedVersion = therapist.Version, reason = "Complaint under review" }, Cancel);
        suspended.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Search(word)).ShouldBe(0);
        (await app.Anonymous().GetAsync($"/api/directory/therapists/{therapist.Id}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var reinstated = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/reinstatement",
            new { expectedVersion = therapist.Version + 1, reason = "Complaint closed" }, Cancel);
        reinstated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Search(word)).ShouldBe(1);

        var events = await Scenarios.Events(app, therapist.Id);
        events[^2].Data.ShouldBeOfType<TherapistSuspended>().Reason.ShouldBe("Complaint under review");
        events[^1].Data.ShouldBeOfType<TherapistReinstated>().Reason.ShouldBe("Complaint closed");
        AuditAssertions.StampedBy(events[^2], adminId, ClinicRoles.Admin, null, before, app.Clock);
        AuditAssertions.StampedBy(events[^1], adminId, ClinicRoles.Admin, null, before, app.Clock);
    }

    [Fact]
    public async Task reinstating_an_active_therapist_is_a_409()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();

        var response = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/reinstatement", new { expectedVersion = 1, reason = "x" }, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(response)).GetProperty("rule").GetString().ShouldBe("not-suspended");
    }

    [Fact]
    public async Task a_suspension_needs_a_reason_of_sane_length()
    {
        var therapist = await Scenarios.Onboard(app);
        using var admin = await app.AsAdmin();

        var empty = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/suspension", new { expectedVersion = 1, reason = "" }, Cancel);
        var huge = await admin.PostAsJsonAsync($"/api/therapists/{therapist.Id}/suspension", new { expectedVersion = 1, reason = new string('r', 5000) }, Cancel);

        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        huge.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Scenarios.Problem(huge)).GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        (await Scenarios.Events(app, therapist.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task only_an_admin_suspends_or_reinstates()
    {
        var therapist = await Scenarios.Onboard(app);
        using var compliance = await app.AsCompliance();

        (await compliance.PostAsJsonAsync($"/api/therapists/{therapist.Id}/suspension", new { expectedVersion = 1, reason = "x" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await compliance.PostAsJsonAsync($"/api/therapists/{therapist.Id}/reinstatement", new { expectedVersion = 1, reason = "x" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private async Task<long> Search(string word) =>
        (await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/directory/therapists?q={word}", Cancel)).GetProperty("total").GetInt64();
}
