using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Therapists.Directory;
using EventSourcedClinic.Projections.Therapists;
using Marten;

namespace EventSourcedClinic.Api.Tests.Therapists.Directory;

public class TherapistRecordTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task an_admin_reads_any_record_with_its_version_and_a_therapist_only_their_own()
    {
        var mine = await Scenarios.Onboard(app);
        var theirs = await Scenarios.Onboard(app);
        using var self = app.As(await app.PasswordToken(mine.Email, mine.Password));

        var own = await self.GetFromJsonAsync<TherapistDirectoryEntry>($"/api/therapists/{mine.Id}", ClinicApp.Json, Cancel);
        own!.Email.ShouldBe(mine.Email);
        own.Version.ShouldBe(1);
        (await self.GetAsync($"/api/therapists/{theirs.Id}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var admin = await app.AsAdmin();
        (await admin.GetFromJsonAsync<TherapistDirectoryEntry>($"/api/therapists/{theirs.Id}", ClinicApp.Json, Cancel))!.Email.ShouldBe(theirs.Email);
        (await admin.GetAsync($"/api/therapists/{Guid.CreateVersion7()}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task an_admin_lists_therapists_awaiting_verification()
    {
        var pending = await Scenarios.Onboard(app, "AAAA Pending " + Scenarios.UniqueWord());
        var verified = await Scenarios.Listed(app, ["en"], ["cbt"], ["anxiety"], 5000, "b", "AAAA Verified " + Scenarios.UniqueWord());
        using var admin = await app.AsAdmin();

        var unverified = await admin.GetFromJsonAsync<TherapistRecords>("/api/therapists?verified=false&pageSize=100", ClinicApp.Json, Cancel);
        var all = await admin.GetFromJsonAsync<TherapistRecords>("/api/therapists?pageSize=100", ClinicApp.Json, Cancel);

        unverified!.Items.ShouldAllBe(t => !t.IsVerified);
        unverified.Items.ShouldContain(t => t.Id == pending.Id);
        unverified.Items.ShouldNotContain(t => t.Id == verified.Id);
        all!.Total.ShouldBeGreaterThan(unverified.Total);
        (await admin.GetAsync("/api/therapists?page=2147483647", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetAsync("/api/therapists?pageSize=0", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.As(await app.PasswordToken(pending.Email, pending.Password)).GetAsync("/api/therapists", Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

/// <summary>A rebuild empties and refills the read model, so it runs alone, after the tests that run in parallel.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

[Collection(nameof(RunsAlone))]
public class DirectoryRebuildTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task rebuilding_the_directory_from_events_gives_the_same_read_model()
    {
        var word = Scenarios.UniqueWord();
        await Scenarios.Listed(app, ["pa", "en"], ["cft"], ["perinatal"], 5500, $"Rebuild {word}");
        var suspended = await Scenarios.Listed(app, ["ar"], ["ipt"], ["grief"], 6500, $"Rebuild {word}");
        using (var admin = await app.AsAdmin())
        {
            (await admin.PostAsJsonAsync($"/api/therapists/{suspended.Id}/suspension", new { expectedVersion = suspended.Version, reason = "r" }, Cancel))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var before = await AllEntries();

        using var daemon = await app.Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<TherapistDirectoryProjection>(Cancel);

        var after = await AllEntries();
        after.Count.ShouldBe(before.Count);
        after.ShouldNotBeEmpty();
        foreach (var (id, json) in before)
        {
            after[id].ShouldBe(json);
        }
    }

    private async Task<Dictionary<Guid, string>> AllEntries()
    {
        await using var session = app.Store.QuerySession();
        var entries = await session.Query<TherapistDirectoryEntry>().ToListAsync(Cancel);
        return entries.ToDictionary(e => e.Id, e => System.Text.Json.JsonSerializer.Serialize(e));
    }
}
