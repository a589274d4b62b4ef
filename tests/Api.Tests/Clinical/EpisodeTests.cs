using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Clinical.Episodes;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Api.Tests.Clinical;

public class EpisodeTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_self_referral_opens_an_episode_assessed_and_treated_by_the_therapist_the_patient_sees()
    {
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        var therapist = await Scheduling.SchedulingScenarios.BookableTherapist(app);
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var bystander = await Scenarios.Onboard(app);
        using var asBystander = app.As(await app.PasswordToken(bystander.Email, bystander.Password));
        var before = app.Clock.GetUtcNow();

        var referral = await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/referrals",
            new { source = "selfReferral", presentingProblem = "Worry that stops me sleeping" }, Cancel);
        referral.StatusCode.ShouldBe(HttpStatusCode.Created, await referral.Content.ReadAsStringAsync(Cancel));
        var opened = (await referral.Content.ReadFromJsonAsync<OpenedEpisode>(ClinicApp.Json, Cancel))!;
        opened.PathwayId.ShouldStartWith("ESC-");

        // Nobody joins the care team by claiming a referral: the assessor is the therapist the patient booked to see.
        (await asBystander.PostAsJsonAsync($"/api/episodes/{opened.EpisodeId}/assessment", new { expectedVersion = 1, suitableForTreatment = true }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await Scheduling.SchedulingScenarios.Booked(asPatient, therapist.Id, Scheduling.SchedulingScenarios.LondonInDays(app, 3, 9));

        (await asTherapist.PostAsJsonAsync($"/api/episodes/{opened.EpisodeId}/assessment", new { expectedVersion = 1, suitableForTreatment = true }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asBystander.PostAsJsonAsync($"/api/episodes/{opened.EpisodeId}/treatment", new { expectedVersion = 2 }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asTherapist.PostAsJsonAsync($"/api/episodes/{opened.EpisodeId}/treatment", new { expectedVersion = 2 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asTherapist.GetAsync($"/api/patients/{patient.Id}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var episodes = (await asPatient.GetFromJsonAsync<CareEpisode[]>($"/api/patients/{patient.Id}/episodes", ClinicApp.Json, Cancel))!;
        episodes.ShouldHaveSingleItem().Stage.ShouldBe(EpisodeStage.InTreatment);
        episodes[0].PresentingProblem.Value.ShouldBe("Worry that stops me sleeping");

        (await asTherapist.PostAsJsonAsync($"/api/episodes/{opened.EpisodeId}/discharge", new { expectedVersion = 3, reason = "completedTreatment" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asTherapist.PostAsJsonAsync($"/api/episodes/{opened.EpisodeId}/discharge", new { expectedVersion = 4, reason = "droppedOut" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await asBystander.GetAsync($"/api/patients/{patient.Id}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var events = await Scenarios.Events(app, opened.EpisodeId);
        AuditAssertions.StampedBy(events[0], patient.Id.ToString(), ClinicRoles.Patient, null, before, app.Clock);
        AuditAssertions.StampedBy(events[^1], therapist.Id.ToString(), ClinicRoles.Therapist, null, before, app.Clock);
    }

    [Fact]
    public async Task referral_rules_and_access()
    {
        var patient = await PatientAccounts.Register(app);
        var other = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        using var asOther = app.As(await app.PasswordToken(other.Email, other.Password));
        using var admin = await app.AsAdmin();
        var referrals = $"/api/patients/{patient.Id}/referrals";

        (await asPatient.PostAsJsonAsync(referrals, new { source = "nhsService", presentingProblem = "x", referrerOdsCode = "RT1" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asOther.PostAsJsonAsync(referrals, new { source = "selfReferral", presentingProblem = "x" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Scenarios.Problem(await admin.PostAsJsonAsync(referrals, new { source = "generalPractitioner", presentingProblem = "Low mood" }, Cancel)))
            .GetProperty("rule").GetString().ShouldBe("referrer-required");
        (await admin.PostAsJsonAsync(referrals, new { source = "generalPractitioner", presentingProblem = "Low mood", referrerOdsCode = "A81001" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsJsonAsync($"/api/patients/{Guid.CreateVersion7()}/referrals", new { source = "selfReferral", presentingProblem = "x" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asOther.GetAsync($"/api/patients/{patient.Id}/episodes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
