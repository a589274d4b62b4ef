using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Compliance;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Compliance;

public class AuditTrailTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_patients_trail_lists_every_event_of_theirs_in_order_with_actor_and_correlation_in_pages()
    {
        var (patient, therapist, asPatient, _) = await PatientInCare();
        using var compliance = await app.AsCompliance();
        using var correlated = new HttpRequestMessage(HttpMethod.Post, $"/api/patients/{patient.Id}/outcomes")
        {
            Content = JsonContent.Create(new { questionnaire = "phq9", answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }),
        };
        correlated.Headers.Add("X-Correlation-Id", "trail-test-" + patient.Id);
        (await asPatient.SendAsync(correlated, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var trail = (await compliance.GetFromJsonAsync<AuditTrailPage>($"/api/compliance/audit-trail?patientId={patient.Id}", ClinicApp.Json, Cancel))!;
        trail.Events.Select(e => e.Sequence).ShouldBeInOrder();
        trail.Events[0].EventType.ShouldBe("patient_registered");
        trail.Events.Select(e => e.RecordType).ShouldContain("Appointment");
        var scored = trail.Events.Last(e => e.RecordType == "OutcomeHistory");
        (scored.UserId, scored.Role, scored.ClientId, scored.CorrelationId).ShouldBe((patient.Id.ToString(), "patient", "clinic-app", "trail-test-" + patient.Id));
        scored.CausationId.ShouldStartWith($"POST /api/patients/{patient.Id}/outcomes#");
        ((JsonElement)scored.Data).GetProperty("total").GetInt32().ShouldBe(8);

        var firstPage = (await compliance.GetFromJsonAsync<AuditTrailPage>($"/api/compliance/audit-trail?patientId={patient.Id}&pageSize=2", ClinicApp.Json, Cancel))!;
        var secondPage = (await compliance.GetFromJsonAsync<AuditTrailPage>($"/api/compliance/audit-trail?patientId={patient.Id}&pageSize=2&page=2", ClinicApp.Json, Cancel))!;
        firstPage.Events.Length.ShouldBe(2);
        secondPage.Events[0].Sequence.ShouldBeGreaterThan(firstPage.Events[1].Sequence);
        firstPage.Total.ShouldBeGreaterThan(4);

        var oneStream = (await compliance.GetFromJsonAsync<AuditTrailPage>($"/api/compliance/audit-trail?streamId={RecordOutcome.StreamId(patient.Id)}", ClinicApp.Json, Cancel))!;
        oneStream.Events.Select(e => e.Version).ShouldBe([1L, 2L]);

        // The compliance officer's look at the trail is itself on the patient's access log.
        var logged = (await compliance.GetFromJsonAsync<AccessLogPage>($"/api/compliance/access-log?patientId={patient.Id}&purpose=administration", ClinicApp.Json, Cancel))!;
        logged.Accesses.ShouldContain(a => a.Request.StartsWith("GET /api/compliance/audit-trail"));

        (await compliance.GetAsync("/api/compliance/audit-trail", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.GetAsync($"/api/compliance/audit-trail?patientId={patient.Id}&streamId={patient.Id}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.GetAsync($"/api/compliance/audit-trail?patientId={Guid.NewGuid()}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await compliance.GetAsync($"/api/compliance/audit-trail?patientId={patient.Id}&pageSize=0", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.GetAsync("/api/compliance/audit-trail?patientId=not-a-guid", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        (await asTherapist.GetAsync($"/api/compliance/audit-trail?patientId={patient.Id}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_logged_access_is_rebuilt_as_the_user_saw_it_even_after_the_record_moved_on()
    {
        var (patient, _, asPatient, asTherapist) = await PatientInCare();
        (await asTherapist.GetAsync($"/api/patients/{patient.Id}/outcomes", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/outcomes", new { questionnaire = "gad7", answers = new[] { 3, 3, 3, 3, 3, 3, 3 } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        using var compliance = await app.AsCompliance();
        var access = (await compliance.GetFromJsonAsync<AccessLogPage>($"/api/compliance/access-log?patientId={patient.Id}&purpose=directCare", ClinicApp.Json, Cancel))!
            .Accesses.ShouldHaveSingleItem();

        var seen = (await compliance.GetFromJsonAsync<JsonElement>($"/api/compliance/access-log/{access.AccessId}/as-seen", ClinicApp.Json, Cancel))!;
        var record = seen.GetProperty("records").EnumerateArray().ShouldHaveSingleItem();
        record.GetProperty("version").GetInt64().ShouldBe(1);
        record.GetProperty("state").GetProperty("measures").EnumerateArray().Select(m => m.GetProperty("total").GetInt32()).ShouldBe([7]);
        var now = (await compliance.GetFromJsonAsync<JsonElement>($"/api/patients/{patient.Id}/record", ClinicApp.Json, Cancel))!;
        now.GetProperty("outcomes").GetArrayLength().ShouldBe(2);

        (await compliance.GetAsync($"/api/compliance/access-log/{Guid.NewGuid()}/as-seen", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asTherapist.GetAsync($"/api/compliance/access-log/{access.AccessId}/as-seen", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_subject_access_export_holds_every_stream_decrypted_with_the_access_log_and_is_itself_logged()
    {
        var (patient, _, asPatient, asTherapist) = await PatientInCare();
        (await asTherapist.GetAsync($"/api/patients/{patient.Id}/consents", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var compliance = await app.AsCompliance();

        var response = await compliance.GetAsync($"/api/compliance/patients/{patient.Id}/export", Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(Cancel));
        var manifest = Read(zip, "manifest.json");
        manifest.GetProperty("patientId").GetGuid().ShouldBe(patient.Id);
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
        {
            using var content = zip.GetEntry(file.GetProperty("path").GetString()!)!.Open();
            Convert.ToHexStringLower(await SHA256.HashDataAsync(content, Cancel)).ShouldBe(file.GetProperty("sha256").GetString());
        }

        var registration = Read(zip, $"streams/Patient/{patient.Id}.json")[0];
        registration.GetProperty("data").GetProperty("givenName").GetString().ShouldBe("Test");
        Read(zip, "account.json").GetProperty("email").GetString().ShouldBe(patient.Email);
        var accesses = Read(zip, "access-log.json").EnumerateArray().ToArray();
        accesses.ShouldContain(a => a.GetProperty("purpose").GetString() == "directCare" && a.GetProperty("accessorId").GetString() != patient.Id.ToString());
        accesses.ShouldContain(a => a.GetProperty("purpose").GetString() == "export");
        zip.Entries.Select(e => e.FullName).ShouldContain(n => n.StartsWith("streams/Appointment/"));

        var own = await asPatient.GetAsync("/api/patients/me/export", Cancel);
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var ownZip = new ZipArchive(await own.Content.ReadAsStreamAsync(Cancel)))
        {
            // The patient's own export holds notes as released to them, never a clinician's stream of drafts.
            ownZip.Entries.Select(e => e.FullName).ShouldContain("session-notes.json");
            ownZip.Entries.ShouldNotContain(e => e.FullName.StartsWith("streams/SessionNote/"));
        }
        (await asTherapist.GetAsync($"/api/compliance/patients/{patient.Id}/export", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await compliance.GetAsync($"/api/compliance/patients/{Guid.NewGuid()}/export", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task erasure_inside_retention_is_refused_and_restricts_processing_until_the_dpo_overrides_with_a_reason()
    {
        var (patient, therapist, asPatient, _) = await PatientInCare();
        using var compliance = await app.AsCompliance();
        var erasure = $"/api/compliance/patients/{patient.Id}/erasure";
        (await compliance.GetFromJsonAsync<FoundPatient>($"/api/compliance/patients?email={Uri.EscapeDataString(patient.Email)}", ClinicApp.Json, Cancel))!
            .PatientId.ShouldBe(patient.Id);
        (await compliance.GetAsync($"/api/compliance/patients?email=nobody-{Guid.NewGuid():N}@tests.clinic", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await compliance.GetAsync("/api/compliance/patients", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var refused = await compliance.PostAsJsonAsync(erasure, new { reason = "Patient asked for erasure by letter" }, Cancel);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await Scenarios.Problem(refused);
        problem.GetProperty("rule").GetString().ShouldBe("within-retention");
        problem.GetProperty("processingRestricted").GetBoolean().ShouldBeTrue();
        problem.GetProperty("retainUntil").GetDateTimeOffset().Year.ShouldBe(app.Clock.GetUtcNow().Year + Retention.MentalHealthRecordYears);
        var booking = await Book(asPatient, therapist.Id, LondonInDays(app, 5, 10));
        booking.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Scenarios.Problem(booking)).GetProperty("rule").GetString().ShouldBe("processing-restricted");
        (await compliance.PostAsJsonAsync(erasure, new { reason = "Patient asked again by phone" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Events(app, RecordsStatus.StreamId(patient.Id))).Count.ShouldBe(1);

        (await compliance.PostAsJsonAsync(erasure, new { reason = "short" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.PostAsJsonAsync(erasure, new { reason = "Patient asked for erasure", overrideReason = "no" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await compliance.PostAsJsonAsync($"/api/compliance/patients/{Guid.NewGuid()}/erasure", new { reason = "Patient asked for erasure" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await app.AsAdmin()).PostAsJsonAsync(erasure, new { reason = "Patient asked for erasure" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var overridden = await compliance.PostAsJsonAsync(erasure,
            new { reason = "Patient asked for erasure by letter", overrideReason = "Record opened in error for a person never treated here" }, Cancel);
        overridden.StatusCode.ShouldBe(HttpStatusCode.OK, await overridden.Content.ReadAsStringAsync(Cancel));
        var receipt = (await overridden.Content.ReadFromJsonAsync<PatientErased>(ClinicApp.Json, Cancel))!;
        receipt.OverrideReason.ShouldBe("Record opened in error for a person never treated here");
        receipt.RetainUntil.ShouldNotBeNull();
        receipt.Actions.ShouldBe(["personal-data-key-destroyed", "sign-in-account-deleted"]);
        var erasedEvent = (await Scenarios.Events(app, RecordsStatus.StreamId(patient.Id)))[^1];
        erasedEvent.Headers![EventSourcedClinic.Api.Kernel.AuditStamp.Role].ToString().ShouldBe("compliance");
        (await compliance.PostAsJsonAsync(erasure, new { reason = "Patient asked for erasure by letter" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await app.RequestToken(("grant_type", "password"), ("client_id", "clinic-app"), ("username", patient.Email), ("password", patient.Password), ("scope", "clinic.api")))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_break_glass_access_renders_as_a_fhir_audit_event_with_agent_entity_and_purpose_of_use()
    {
        var (patient, _, _, _) = await PatientInCare();
        var outsider = await Scenarios.Onboard(app);
        using var asOutsider = app.As(await app.PasswordToken(outsider.Email, outsider.Password));
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/patients/{patient.Id}/outcomes"))
        {
            request.Headers.Add(Api.Access.PatientAccess.BreakGlassHeader, "Crisis line call, patient at risk");
            (await asOutsider.SendAsync(request, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var compliance = await app.AsCompliance();
        var access = (await compliance.GetFromJsonAsync<BreakGlassReview>("/api/compliance/break-glass", ClinicApp.Json, Cancel))!
            .Accesses.Single(a => a.PatientId == patient.Id);
        var response = await compliance.GetAsync($"/api/compliance/access-log/{access.AccessId}/audit-event", Cancel);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/fhir+json");

        // Firely's parser reads it back strictly, as a FHIR R4 AuditEvent.
        var audit = JsonSerializer.Deserialize<Hl7.Fhir.Model.AuditEvent>(await response.Content.ReadAsStringAsync(Cancel),
            Hl7.Fhir.Serialization.JsonSerializerOptionsExtensions.ForFhir(new JsonSerializerOptions()))!;
        audit.Meta!.Profile.ShouldContain(Integrations.Fhir.AuditEvents.BalpPatientRead);
        audit.Action.ShouldBe(Hl7.Fhir.Model.AuditEvent.AuditEventAction.R);
        audit.PurposeOfEvent.Single().Coding.Select(c => c.Code).ShouldBe(["ETREAT", "BTG"]);
        audit.PurposeOfEvent.Single().Text.ShouldBe("Crisis line call, patient at risk");
        var user = audit.Agent.Single(a => a.Requestor == true);
        user.Who!.Reference.ShouldBe($"Practitioner/{outsider.Id}");
        audit.Agent.ShouldContain(a => a.Who!.Identifier != null && a.Who.Identifier.Value == "clinic-app");
        audit.Entity[0].What!.Reference.ShouldBe($"Patient/{patient.Id}");
        var read = audit.Entity[1];
        read.What!.Identifier!.Value.ShouldBe(RecordOutcome.StreamId(patient.Id).ToString());
        read.Detail.Single().Value!.ToString().ShouldBe("1");
        audit.Recorded.ShouldBe(access.AccessedAt);
    }

    [Fact]
    public async Task two_officers_erasing_one_patient_at_once_leave_one_receipt()
    {
        // Registered and never seen: no contact, so nothing to retain.
        var patient = await PatientAccounts.Register(app);
        using var compliance = await app.AsCompliance();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            compliance.PostAsJsonAsync($"/api/compliance/patients/{patient.Id}/erasure", new { reason = "Written request received 1 March" }, Cancel)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Where(r => r.StatusCode != HttpStatusCode.OK).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Conflict);
        (await Scenarios.Events(app, RecordsStatus.StreamId(patient.Id))).Select(e => e.Data).OfType<PatientErased>().Count().ShouldBe(1);
    }

    private static JsonElement Read(ZipArchive zip, string path)
    {
        using var stream = zip.GetEntry(path)!.Open();
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    private async Task<(PatientAccounts.PatientAccount Patient, Scenarios.TherapistAccount Therapist, HttpClient AsPatient, HttpClient AsTherapist)> PatientInCare()
    {
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        await Booked(asPatient, therapist.Id, LondonInDays(app, 3, 15));
        (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/outcomes", new { questionnaire = "gad7", answers = new[] { 1, 1, 1, 1, 1, 1, 1 } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        return (patient, therapist, asPatient, app.As(await app.PasswordToken(therapist.Email, therapist.Password)));
    }
}
