using System.Net.Http.Json;
using EventSourcedClinic.Api.Demo;
using EventSourcedClinic.Api.Therapists.Directory;

namespace EventSourcedClinic.Api.Tests;

public class DemoClinicTests(ClinicApp app)
{
    [Fact]
    public async Task the_demo_clinic_seeds_once_through_the_clinic_rules_and_its_polish_cbt_therapists_are_found()
    {
        (await DemoClinic.SeedAsync(app.Services, TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await DemoClinic.SeedAsync(app.Services, TestContext.Current.CancellationToken)).ShouldBeFalse();

        using var admin = app.As(await app.PasswordToken(DemoClinic.AdminEmail, DemoClinic.Password));
        var found = await admin.GetFromJsonAsync<DirectoryPage>("/api/directory/therapists?language=pl&method=cbt&pageSize=100",
            ClinicApp.Json, TestContext.Current.CancellationToken);

        found!.Items.Select(t => t.FullName).ShouldContain("Dr Anna Nowak");
        found.Items.Select(t => t.FullName).ShouldContain("Tomasz Wiśniewski");
        found.Items.Select(t => t.FullName).ShouldNotContain("Dr Marek Kowalski");
        var welsh = await admin.GetFromJsonAsync<DirectoryPage>("/api/directory/therapists?language=cy&method=emdr", ClinicApp.Json,
            TestContext.Current.CancellationToken);
        welsh!.Items.Select(t => t.FullName).ShouldContain("Rhiannon Jones");

        var today = EventSourcedClinic.Domain.UkTime.Today(app.Clock.GetUtcNow());
        var tuesday = today.AddDays(((int)DayOfWeek.Tuesday - (int)today.DayOfWeek + 7) % 7 + 7);
        var slots = await admin.GetFromJsonAsync<EventSourcedClinic.Api.Scheduling.Slots.SlotPage>(
            $"/api/directory/slots?language=cy&method=emdr&from={tuesday:yyyy-MM-dd}&to={tuesday:yyyy-MM-dd}&timeOfDay=morning",
            ClinicApp.Json, TestContext.Current.CancellationToken);
        slots!.Items.ShouldContain(i => i.Therapist.FullName == "Rhiannon Jones");
    }
}
