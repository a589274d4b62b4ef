using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Compliance;
using Microsoft.Extensions.DependencyInjection;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Compliance;

public class AccessLogTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task every_read_is_logged_with_who_why_and_the_version_served_and_the_patient_sees_it()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        using var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        await Booked(asPatient, therapist.Id, LondonInDays(app, 3, 10));
        (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/outcomes", new { questionnaire = "gad7", answers = new[] { 1, 1, 1, 1, 1, 1, 1 } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));

        (await asTherapist.GetAsync($"/api/patients/{patient.Id}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asPatient.GetAsync("/api/patients/me/summary", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var log = (await asPatient.GetFromJsonAsync<AccessLogPage>($"/api/patients/{patient.Id}/access-log", ClinicApp.Json, Cancel))!;
        var byTherapist = log.Accesses.Where(a => a.AccessorId == therapist.Id.ToString()).ShouldHaveSingleItem();
        byTherapist.Role.ShouldBe("therapist");
        byTherapist.ClientId.ShouldBe("clinic-app");
        byTherapist.Purpose.ShouldBe(AccessPurpose.DirectCare);
        byTherapist.Resources.ShouldBe([new AccessedResourceView("OutcomeHistory", RecordOutcome.StreamId(patient.Id), 1)]);
        byTherapist.Request.ShouldBe($"GET /api/patients/{patient.Id}/outcomes");
        var own = log.Accesses.Where(a => a.Purpose == AccessPurpose.PatientAccess).ShouldHaveSingleItem();
        own.Resources.Select(r => r.Type).ShouldContain("Patient");
        own.Resources.Single(r => r.Type == "Patient").Version.ShouldBeGreaterThanOrEqualTo(1);
        log.Total.ShouldBe(2);
        log.Accesses[0].AccessedAt.ShouldBeGreaterThanOrEqualTo(log.Accesses[1].AccessedAt);

        // Nobody else lists this patient's accesses; a compliance officer queries them by accessor, patient, purpose and time.
        var stranger = await PatientAccounts.Register(app);
        using var asStranger = app.As(await app.PasswordToken(stranger.Email, stranger.Password));
        (await asStranger.GetAsync($"/api/patients/{patient.Id}/access-log", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asTherapist.GetAsync($"/api/patients/{patient.Id}/access-log", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var compliance = await app.AsCompliance();
        var query = $"/api/compliance/access-log?accessorId={therapist.Id}&patientId={patient.Id}&purpose=directCare";
        (await compliance.GetFromJsonAsync<AccessLogPage>(query, ClinicApp.Json, Cancel))!.Accesses.Single().AccessId.ShouldBe(byTherapist.AccessId);
        var later = Uri.EscapeDataString(byTherapist.AccessedAt.AddMinutes(1).ToString("O"));
        (await compliance.GetFromJsonAsync<AccessLogPage>($"{query}&from={later}", ClinicApp.Json, Cancel))!.Total.ShouldBe(0);
        (await compliance.GetFromJsonAsync<AccessLogPage>($"{query}&to={later}", ClinicApp.Json, Cancel))!.Total.ShouldBe(1);
        (await compliance.GetAsync("/api/compliance/access-log?purpose=curiosity", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.GetAsync("/api/compliance/access-log?pageSize=100000", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.GetAsync("/api/compliance/access-log?page=4294969&pageSize=500", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.GetAsync("/api/compliance/access-log?purpose=directCare,breakGlass", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.GetAsync($"/api/compliance/access-log?from={later}&to={later}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await (await app.AsAdmin()).GetAsync("/api/compliance/access-log", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_refused_read_is_not_served_and_a_caseload_logs_each_patient_on_it()
    {
        var therapist = await BookableTherapist(app);
        var first = await PatientAccounts.Register(app);
        var second = await PatientAccounts.Register(app);
        using var asFirst = app.As(await app.PasswordToken(first.Email, first.Password));
        await Booked(asFirst, therapist.Id, LondonInDays(app, 3, 11));
        (await asFirst.PostAsJsonAsync($"/api/patients/{first.Id}/outcomes", new { questionnaire = "gad7", answers = new[] { 1, 1, 1, 1, 1, 1, 1 } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        await Booked(app.As(await app.PasswordToken(second.Email, second.Password)), therapist.Id, LondonInDays(app, 3, 12));
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        (await asTherapist.GetAsync("/api/caseload", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var compliance = await app.AsCompliance();
        var logged = (await compliance.GetFromJsonAsync<AccessLogPage>($"/api/compliance/access-log?accessorId={therapist.Id}", ClinicApp.Json, Cancel))!;
        logged.Accesses.Select(a => a.PatientId).Order().ShouldBe(new[] { first.Id, second.Id }.Order());
        logged.Accesses.ShouldAllBe(a => a.Request == "GET /api/caseload");
        logged.Accesses.Single(a => a.PatientId == first.Id).Resources.Single().Version.ShouldBe(1);
        logged.Accesses.Single(a => a.PatientId == second.Id).Resources.Single().Version.ShouldBe(0);

        var outsider = await Scenarios.Onboard(app);
        using var asOutsider = app.As(await app.PasswordToken(outsider.Email, outsider.Password));
        (await asOutsider.GetAsync($"/api/patients/{first.Id}/history", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await compliance.GetFromJsonAsync<AccessLogPage>($"/api/compliance/access-log?accessorId={outsider.Id}", ClinicApp.Json, Cancel))!.Total.ShouldBe(0);
    }

    [Fact]
    public void no_route_changes_or_removes_events_or_audit_records()
    {
        var routes = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => (Method: method, Path: e.RoutePattern.RawText ?? "")))
            .ToArray();

        routes.Length.ShouldBeGreaterThan(50);
        routes.Where(r => r.Method is "DELETE" or "PATCH" or "*" && r.Path.StartsWith("/api")).ShouldBeEmpty();
        routes.Where(r => r.Path.Contains("access-log") || r.Path.Contains("audit-trail") || r.Path.Contains("break-glass") || r.Path.Contains("chain"))
            .ShouldAllBe(r => r.Method == "GET");
        routes.Where(r => r.Path.StartsWith("/api/compliance") && r.Method != "GET").Select(r => r.Path).Order()
            .ShouldBe(["/api/compliance/patients/{patientId}/erasure", "/api/compliance/replay/verify"]);
    }
}

/// <summary>Two dozen readers of one patient at once: a load of its own, so it runs alone rather than against every other test.</summary>
[Collection(nameof(Therapists.Directory.RunsAlone))]
public class AccessLogConcurrencyTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task many_concurrent_reads_of_one_patient_are_each_logged_once()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        await Booked(app.As(await app.PasswordToken(patient.Email, patient.Password)), therapist.Id, LondonInDays(app, 3, 13));
        var token = await app.PasswordToken(therapist.Email, therapist.Password);
        const int readers = 24;

        var statuses = await Task.WhenAll(Enumerable.Range(0, readers).Select(async _ =>
        {
            using var client = app.As(token);
            return (await client.GetAsync($"/api/patients/{patient.Id}/consents", Cancel)).StatusCode;
        }));

        statuses.ShouldAllBe(s => s == HttpStatusCode.OK);
        var stream = await Scenarios.Events(app, RecordAccessed.AccessLogStreamId(patient.Id));
        stream.Count.ShouldBe(readers);
        stream.Select(e => e.Version).ShouldBe(Enumerable.Range(1, readers).Select(v => (long)v));
        stream.Select(e => ((RecordAccessed)e.Data).AccessId).Distinct().Count().ShouldBe(readers);

        // Appended in turn, each link chained to the one before it.
        var chain = await (await app.AsCompliance()).GetFromJsonAsync<ChainVerification>(
            $"/api/compliance/chain/verify?streamId={RecordAccessed.AccessLogStreamId(patient.Id)}", ClinicApp.Json, Cancel);
        (chain!.Intact, chain.EventsChecked).ShouldBe((true, readers));
    }
}
