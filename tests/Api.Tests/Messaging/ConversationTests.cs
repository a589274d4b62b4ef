using Hl7.Fhir.Serialization;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventSourcedClinic.Api.Messaging;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Messaging;
using Microsoft.AspNetCore.Http.Connections;
using Marten;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static EventSourcedClinic.Api.Tests.Payments.StripeScenarios;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Messaging;

/// <summary>
/// A patient's conversation with their care team, live over the SignalR hub and over REST: messages encrypted in the
/// record, read receipts and typing, retraction, membership on every join and send, and a notice by e-mail (through the
/// local SMTP server) that never carries the message.
/// </summary>
public class ConversationTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_patient_and_their_therapist_talk_live_with_receipts_and_typing_and_an_outsider_can_neither_join_nor_read()
    {
        var (patient, therapist) = await InCare();
        await using var patientHub = await Connect(patient.Token);
        await using var therapistHub = await Connect(therapist.Token);
        var toPatient = Inbox(patientHub);
        var toTherapist = Inbox(therapistHub);

        var joined = await patientHub.InvokeAsync<ConversationJoined>("Join", patient.Id, Cancel);
        joined.EmergencyNotice.ShouldContain("116 123");
        joined.EmergencyNotice.ShouldContain("999");
        (await therapistHub.InvokeAsync<ConversationJoined>("Join", patient.Id, Cancel)).LastSequence.ShouldBe(0);

        var sent = await patientHub.InvokeAsync<MessageAccepted>("Send", patient.Id, "I have been sleeping badly this week.", "c-1", Cancel);
        sent.Sequence.ShouldBe(1);
        var received = await toTherapist.Next("message");
        received["body"]!.GetValue<string>().ShouldBe("I have been sleeping badly this week.");
        received["senderRole"]!.GetValue<string>().ShouldBe("patient");
        (await toPatient.Next("message"))["sequence"]!.GetValue<int>().ShouldBe(1); // the sender's other devices see it too

        await therapistHub.InvokeAsync("Typing", patient.Id, Cancel);
        (await toPatient.Next("typing"))["senderId"]!.GetValue<Guid>().ShouldBe(therapist.Id);
        using var asTherapist = app.As(therapist.Token);
        (await asTherapist.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "Thank you for telling me. Let's talk about it on Tuesday." }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var reply = await toPatient.Next("message");
        reply["senderName"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        reply["sequence"]!.GetValue<int>().ShouldBe(2);
        await patientHub.InvokeAsync("MarkRead", patient.Id, 2, Cancel);
        (await toTherapist.Next("read"))["upToSequence"]!.GetValue<int>().ShouldBe(2);

        // The history, for either of them; the therapist's read is in the patient's access log.
        var history = (await asTherapist.GetFromJsonAsync<ConversationView>($"/api/conversations/{patient.Id}", ClinicApp.Json, Cancel))!;
        history.Messages.Select(m => m.Body).ShouldBe(["I have been sleeping badly this week.", "Thank you for telling me. Let's talk about it on Tuesday."]);
        history.ReadUpTo[patient.Id].ShouldBe(2);
        var log = await Scenarios.Events(app, RecordAccessed.AccessLogStreamId(patient.Id));
        log.Select(e => e.Data).OfType<RecordAccessed>()
            .ShouldContain(a => a.AccessorId == therapist.Id.ToString() && a.Resources.Any(r => r.Type == RecordTypes.Conversation));

        // Stored encrypted: the text is not in the event store's table.
        await using (var connection = new Npgsql.NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var command = new Npgsql.NpgsqlCommand("select count(*) from clinic.mt_events where data::text like '%sleeping badly%'", connection);
            (await command.ExecuteScalarAsync(Cancel)).ShouldBe(0L);
        }

        // Outside the care team: no join, no read, no send; another patient is told it does not exist.
        var outsider = await Scenarios.Listed(app, ["en"], ["cbt"], ["anxiety"], 5000, "Not this patient's.");
        var outsiderToken = await app.PasswordToken(outsider.Email, outsider.Password);
        await using var outsiderHub = await Connect(outsiderToken);
        await Should.ThrowAsync<HubException>(() => outsiderHub.InvokeAsync<ConversationJoined>("Join", patient.Id, Cancel));
        await Should.ThrowAsync<HubException>(() => outsiderHub.InvokeAsync<MessageAccepted>("Send", patient.Id, "hello", null, Cancel));
        using var asOutsider = app.As(outsiderToken);
        (await asOutsider.GetAsync($"/api/conversations/{patient.Id}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asOutsider.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "hello" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var otherPatient = await AsNewPatient(app);
        (await otherPatient.GetAsync($"/api/conversations/{patient.Id}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // A sender retracts their own message, which stays in the audit trail; nobody else may.
        (await asTherapist.PostAsync($"/api/conversations/{patient.Id}/messages/{sent.MessageId}/retraction", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        using var asPatient = app.As(patient.Token);
        (await asPatient.PostAsync($"/api/conversations/{patient.Id}/messages/{sent.MessageId}/retraction", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await toTherapist.Next("retracted"))["messageId"]!.GetValue<Guid>().ShouldBe(sent.MessageId);
        var after = (await asPatient.GetFromJsonAsync<ConversationView>($"/api/conversations/{patient.Id}", ClinicApp.Json, Cancel))!;
        after.Messages[0].Retracted.ShouldBeTrue();
        after.Messages[0].Body.ShouldBeNull();
        (await Scenarios.Events(app, Conversation.StreamId(patient.Id))).Select(e => e.Data).OfType<MessageRetracted>().ShouldHaveSingleItem();

        // In FHIR, each message is a Communication of the patient's: the retracted one entered-in-error, with nothing of its text.
        var bundleJson = await asTherapist.GetStringAsync($"/fhir/Communication?patient=Patient/{patient.Id}", Cancel);
        var parsed = System.Text.Json.JsonSerializer.Deserialize<Hl7.Fhir.Model.Bundle>(bundleJson, new System.Text.Json.JsonSerializerOptions().ForFhir())!;
        parsed.Entry.SelectMany(e => Fhir.FhirValidation.Errors(e.Resource!)).ShouldBeEmpty();
        var bundle = JsonNode.Parse(bundleJson)!;
        var communications = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).ToArray();
        communications.Select(c => c["status"]!.GetValue<string>()).ShouldBe(["entered-in-error", "completed"]);
        communications[0]["payload"].ShouldBeNull();
        communications[1]["sender"]!["reference"]!.GetValue<string>().ShouldBe($"Practitioner/{therapist.Id}");
        communications[1]["payload"]![0]!["contentString"]!.GetValue<string>().ShouldBe("Thank you for telling me. Let's talk about it on Tuesday.");
        (await asTherapist.GetAsync($"/fhir/Communication/{communications[1]["id"]!.GetValue<string>()}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await otherPatient.GetAsync($"/fhir/Communication/{communications[1]["id"]!.GetValue<string>()}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await asOutsider.GetAsync($"/fhir/Communication/{communications[1]["id"]!.GetValue<string>()}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_message_to_a_patient_who_is_not_connected_arrives_as_an_email_without_its_content()
    {
        var mailbox = Environment.GetEnvironmentVariable("CLINIC_MAILBOX_URL").ShouldNotBeNull("run the tests with scripts/test, which starts the SMTP server");
        var (patient, therapist) = await InCare();
        using var asTherapist = app.As(therapist.Token);
        var secret = "Your results came back " + Scenarios.UniqueWord();
        (await asTherapist.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = secret }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var smtp = new HttpClient { BaseAddress = new Uri(mailbox) };
        JsonNode? mail = null;
        await Eventually(async () =>
        {
            var messages = JsonNode.Parse(await smtp.GetStringAsync("/api/messages?pageSize=1000", Cancel))!["results"]!.AsArray();
            mail = messages.FirstOrDefault(m => m!["to"]!.AsArray().Any(t => t!.GetValue<string>().Contains(patient.Email, StringComparison.OrdinalIgnoreCase)));
            return mail is not null;
        }, "no e-mail reached the patient's address");
        mail!["subject"]!.GetValue<string>().ShouldBe("You have a new message from your therapist");
        var text = await smtp.GetStringAsync($"/api/messages/{mail["id"]}/plaintext", Cancel);
        text.ShouldNotContain(secret);
        text.ShouldContain("116 123");
        await Eventually(async () =>
        {
            await using var session = app.Store.QuerySession();
            return (await session.Query<Notifications.NotificationDelivery>().Where(d => d.RecipientId == patient.Id).ToListAsync(Cancel))
                .Any(d => d.Channel == "email" && d.Outcome == "delivered" && d.Kind == "new-message-from-therapist");
        }, "no delivery was recorded");
    }

    [Fact]
    public async Task a_person_chooses_welsh_and_quiet_hours_and_the_notice_follows_their_choice()
    {
        var mailbox = Environment.GetEnvironmentVariable("CLINIC_MAILBOX_URL").ShouldNotBeNull("run the tests with scripts/test, which starts the SMTP server");
        var (patient, therapist) = await InCare();
        using var asPatient = app.As(patient.Token);
        (await asPatient.PutAsJsonAsync("/api/me/notification-preferences", new { channels = new[] { "fax" }, language = "cy" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await asPatient.PutAsJsonAsync("/api/me/notification-preferences", new { channels = new[] { "email" }, language = "fr" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await asPatient.PutAsJsonAsync("/api/me/notification-preferences", new { channels = new[] { "email" }, language = "cy", quietFrom = "21:00" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await asPatient.PutAsJsonAsync("/api/me/notification-preferences", new { channels = new[] { "email" }, language = "cy" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asPatient.GetFromJsonAsync<Notifications.NotificationPreferencesView>("/api/me/notification-preferences", ClinicApp.Json, Cancel))!.Language.ShouldBe("cy");

        using var asTherapist = app.As(therapist.Token);
        (await asTherapist.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "Sut wyt ti?" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var smtp = new HttpClient { BaseAddress = new Uri(mailbox) };
        JsonNode? mail = null;
        await Eventually(async () =>
        {
            mail = JsonNode.Parse(await smtp.GetStringAsync("/api/messages?pageSize=1000", Cancel))!["results"]!.AsArray()
                .FirstOrDefault(m => m!["to"]!.AsArray().Any(t => t!.GetValue<string>().Contains(patient.Email, StringComparison.OrdinalIgnoreCase)));
            return mail is not null;
        }, "no e-mail reached the patient");
        mail!["subject"]!.GetValue<string>().ShouldBe("Mae gennych neges newydd gan eich therapydd");
        (await smtp.GetStringAsync($"/api/messages/{mail["id"]}/plaintext", Cancel)).ShouldContain("Samariaid ar 116 123");

        // Quiet hours around now (UK time): the next notice waits, and says so in its delivery record.
        var ukNow = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), Domain.UkTime.London).DateTime);
        (await asPatient.PutAsJsonAsync("/api/me/notification-preferences", new
        {
            channels = new[] { "email" }, language = "cy", quietFrom = ukNow.AddHours(-1).ToString("HH:mm"), quietUntil = ukNow.AddHours(1).ToString("HH:mm"),
        }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asTherapist.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "Nos da" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Eventually(async () =>
        {
            await using var session = app.Store.QuerySession();
            return await session.Query<Notifications.NotificationDelivery>().AnyAsync(d => d.RecipientId == patient.Id && d.Outcome == "deferred-quiet-hours", Cancel);
        }, "the notice was not held for the quiet hours");
    }

    [Fact]
    public async Task a_patient_who_chose_text_messages_gets_one_through_twilio_and_its_delivery_report_is_kept()
    {
        var (patient, therapist) = await InCare();
        using var asPatient = app.As(patient.Token);
        (await asPatient.PutAsJsonAsync($"/api/patients/{patient.Id}/contact-details", new { expectedVersion = 1, phone = "07700 900123" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asPatient.PutAsJsonAsync("/api/me/notification-preferences", new { channels = new[] { "sms" }, language = "en" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var asTherapist = app.As(therapist.Token);
        var secret = "Remember the breathing exercise " + Scenarios.UniqueWord();
        (await asTherapist.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = secret }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var twilio = new HttpClient { BaseAddress = new Uri(app.TwilioOptions.Urls) };
        JsonNode? text = null;
        await Eventually(async () =>
        {
            text = JsonNode.Parse(await twilio.GetStringAsync("/_fake/messages", Cancel))!.AsArray().FirstOrDefault(m => m!["to"]!.GetValue<string>() == "+447700900123");
            return text is not null;
        }, "no text message reached Twilio");
        text!["body"]!.GetValue<string>().ShouldContain("new message from your therapist");
        text["body"]!.GetValue<string>().ShouldNotContain(secret);
        text["from"]!.GetValue<string>().ShouldBe("+447700900000");
        var sid = text["sid"]!.GetValue<string>();
        await Eventually(async () =>
        {
            await using var session = app.Store.QuerySession();
            return await session.Query<Notifications.NotificationDelivery>().AnyAsync(d => d.Reference == sid && d.Outcome == "delivered", Cancel);
        }, "Twilio's delivery report was not kept");

        // A report that Twilio did not sign changes nothing.
        var forged = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "failed" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio/sms-status") { Content = new FormUrlEncodedContent(forged) };
        request.Headers.Add("X-Twilio-Signature", FakeTwilio.FakeTwilioServer.Sign("http://localhost/webhooks/twilio/sms-status", forged, "not-the-token"));
        (await app.Anonymous().SendAsync(request, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var unreadable = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio/sms-status") { Content = new StringContent("x") };
        unreadable.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        (await app.Anonymous().SendAsync(unreadable, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await using var check = app.Store.QuerySession();
        (await check.Query<Notifications.NotificationDelivery>().AnyAsync(d => d.Reference == sid && d.Outcome == "failed", Cancel)).ShouldBeFalse();
    }

    [Fact]
    public async Task files_are_checked_by_their_bytes_sealed_under_the_patients_key_and_given_only_to_members()
    {
        var (patient, therapist) = await InCare();
        using var asPatient = app.As(patient.Token);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. System.Text.Encoding.ASCII.GetBytes("pretend image data")];
        var marker = Scenarios.UniqueWord();

        async Task<HttpResponseMessage> Upload(byte[] bytes, string type, string name = "file")
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
            form.Add(file, "file", name);
            return await asPatient.PostAsync($"/api/conversations/{patient.Id}/attachments", form, Cancel);
        }

        var uploaded = await Upload(png, "image/png", $"mood-diary-{marker}.png");
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(Cancel));
        var attachment = (await uploaded.Content.ReadFromJsonAsync<AttachmentView>(ClinicApp.Json, Cancel))!;
        (await Upload(System.Text.Encoding.ASCII.GetBytes("%PDF-1.7 /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "application/pdf"))
            .StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await Upload([0x4D, 0x5A, 0x90, 0x00, 0x03], "image/png", "photo.png")).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await Upload(png, "application/pdf", "notes.pdf")).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await Upload([.. png, .. new byte[AttachmentRules.MaximumBytes]], "image/png")).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await asPatient.PostAsJsonAsync($"/api/conversations/{patient.Id}/attachments", new { file = "x" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await asPatient.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "My diary for this week", attachmentIds = new[] { attachment.AttachmentId } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        using var asTherapist = app.As(therapist.Token);
        var history = (await asTherapist.GetFromJsonAsync<ConversationView>($"/api/conversations/{patient.Id}", ClinicApp.Json, Cancel))!;
        history.Messages.Single().Attachments.ShouldBe([attachment.AttachmentId]);
        var download = await asTherapist.GetAsync($"/api/conversations/{patient.Id}/attachments/{attachment.AttachmentId}", Cancel);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync(Cancel)).ShouldBe(png);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        download.Headers.GetValues("X-Content-Type-Options").ShouldContain("nosniff");
        download.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldBe($"mood-diary-{marker}.png");

        // The therapist cannot pass the patient's file off as theirs; an outsider cannot have it; its name is not in the table.
        (await asTherapist.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "x", attachmentIds = new[] { attachment.AttachmentId } }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var outsider = await Scenarios.Listed(app, ["en"], ["cbt"], ["anxiety"], 5000, "Not this patient's.");
        using var asOutsider = app.As(await app.PasswordToken(outsider.Email, outsider.Password));
        (await asOutsider.GetAsync($"/api/conversations/{patient.Id}/attachments/{attachment.AttachmentId}", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new Npgsql.NpgsqlCommand($"select count(*) from clinic.mt_doc_conversationattachment where data::text like '%{marker}%'", connection);
        (await command.ExecuteScalarAsync(Cancel)).ShouldBe(0L);

        // Retracting the message withdraws the file it carried; the desk cannot start a conversation for an id that is no patient's.
        await asPatient.PostAsync($"/api/conversations/{patient.Id}/messages/{history.Messages.Single().MessageId}/retraction", null, Cancel);
        (await Scenarios.Problem(await asTherapist.GetAsync($"/api/conversations/{patient.Id}/attachments/{attachment.AttachmentId}", Cancel)))
            .GetProperty("status").GetInt32().ShouldBe(410);
        using var desk = app.As(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword));
        (await desk.PostAsJsonAsync($"/api/conversations/{Guid.NewGuid()}/messages", new { body = "Hello?" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await desk.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "About your invoice." }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task many_messages_sent_at_once_each_get_their_own_place_a_retried_send_is_one_message_and_bad_input_is_refused()
    {
        var (patient, _) = await InCare();
        using var asPatient = app.As(patient.Token);
        var sends = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            asPatient.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = $"message {i}", clientMessageId = $"m-{i}" }, Cancel)));
        sends.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        (await asPatient.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "message 1", clientMessageId = "m-1" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var history = (await asPatient.GetFromJsonAsync<ConversationView>($"/api/conversations/{patient.Id}?limit=100", ClinicApp.Json, Cancel))!;
        history.Messages.Select(m => m.Sequence).ShouldBe(Enumerable.Range(1, 20));
        history.Messages.Select(m => m.Body).Distinct().Count().ShouldBe(20);
        var page = (await asPatient.GetFromJsonAsync<ConversationView>($"/api/conversations/{patient.Id}?before=11&limit=5", ClinicApp.Json, Cancel))!;
        page.Messages.Select(m => m.Sequence).ToArray().ShouldBe([6, 7, 8, 9, 10]);
        page.HasEarlier.ShouldBeTrue();

        (await asPatient.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "  " }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await asPatient.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = new string('x', 4_001) }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await asPatient.PostAsJsonAsync($"/api/conversations/{patient.Id}/messages", new { body = "x", clientMessageId = "<script>" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await asPatient.GetAsync($"/api/conversations/{patient.Id}?limit=0", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // A flood from one connection is slowed down.
        await using var hub = await Connect(patient.Token);
        await hub.InvokeAsync<ConversationJoined>("Join", patient.Id, Cancel);
        await Should.ThrowAsync<HubException>(() => hub.InvokeAsync<MessageAccepted>("Send", patient.Id, "x", "<script>", Cancel));
        for (var i = 1; i < ConversationHub.MessagesPerWindow; i++)
        {
            await hub.InvokeAsync<MessageAccepted>("Send", patient.Id, $"flood {i}", null, Cancel);
        }

        (await Should.ThrowAsync<HubException>(() => hub.InvokeAsync<MessageAccepted>("Send", patient.Id, "one too many", null, Cancel))).Message.ShouldContain("Too many");
    }

    private sealed record Person(Guid Id, string Email, string Token);

    /// <summary>A patient with a session booked with a therapist: the therapist is in their care team.</summary>
    private async Task<(Person Patient, Person Therapist)> InCare()
    {
        var therapist = await BookableTherapist(app);
        var account = await PatientAccounts.Register(app);
        var token = await app.PasswordToken(account.Email, account.Password);
        using (var asPatient = app.As(token))
        {
            await Booked(asPatient, therapist.Id, LondonInDays(app, 12, 9 + Random.Shared.Next(0, 8)));
        }

        return (new Person(account.Id, account.Email, token), new Person(therapist.Id, therapist.Email, await app.PasswordToken(therapist.Email, therapist.Password)));
    }

    private Task<HubConnection> Connect(string token) => ConversationHubClient.Connect(app, token);

    private static ConversationHubClient.HubInbox Inbox(HubConnection connection) => ConversationHubClient.Inbox(connection);
}

/// <summary>Two API nodes on one database and one Redis: a client of each, in one conversation, hear each other live.</summary>
public class TwoNodeConversationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task clients_of_two_nodes_exchange_messages_live_through_the_redis_backplane()
    {
        var redis = Environment.GetEnvironmentVariable("CLINIC_REDIS").ShouldNotBeNull("run the tests with scripts/test, which starts Redis");
        var settings = new Dictionary<string, string> { ["Messaging:Redis"] = redis, ["Payments:Billing:NightlyReconciliation"] = "false" };
        var first = new ClinicApp(null, settings, ownsDatabase: false);
        await first.InitializeAsync();
        var second = new ClinicApp(first.Database, settings, ownsDatabase: true);
        try
        {
            await second.InitializeAsync();
            await Exchange(first, second);
        }
        finally
        {
            // The second owns the database: it goes last.
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    private static async Task Exchange(ClinicApp first, ClinicApp second)
    {
        var therapist = await BookableTherapist(first);
        var account = await PatientAccounts.Register(first);
        var patientToken = await first.PasswordToken(account.Email, account.Password);
        using (var asPatient = first.As(patientToken))
        {
            await Booked(asPatient, therapist.Id, LondonInDays(first, 12, 10));
        }

        await using var patientHub = await ConversationHubClient.Connect(first, patientToken);
        await using var therapistHub = await ConversationHubClient.Connect(second, await second.PasswordToken(therapist.Email, therapist.Password));
        var toPatient = ConversationHubClient.Inbox(patientHub);
        var toTherapist = ConversationHubClient.Inbox(therapistHub);
        await patientHub.InvokeAsync<ConversationJoined>("Join", account.Id, Cancel);
        await therapistHub.InvokeAsync<ConversationJoined>("Join", account.Id, Cancel);

        await patientHub.InvokeAsync<MessageAccepted>("Send", account.Id, "Written on the first node", null, Cancel);
        (await toTherapist.Next("message"))["body"]!.GetValue<string>().ShouldBe("Written on the first node");
        await therapistHub.InvokeAsync<MessageAccepted>("Send", account.Id, "Answered from the second", null, Cancel);
        (await toPatient.Next("message"))["body"]!.GetValue<string>().ShouldBe("Written on the first node");
        (await toPatient.Next("message"))["body"]!.GetValue<string>().ShouldBe("Answered from the second");
    }
}

/// <summary>A client of the conversations hub on a test host (long polling over the host's in-memory transport).</summary>
public static class ConversationHubClient
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<HubConnection> Connect(ClinicApp app, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, ConversationHub.Path), options =>
            {
                options.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await connection.StartAsync(Cancel);
        return connection;
    }

    /// <summary>What the hub pushes to one connection, by method, in order.</summary>
    public static HubInbox Inbox(HubConnection connection)
    {
        var inbox = new HubInbox();
        foreach (var method in new[] { "message", "typing", "read", "retracted" })
        {
            connection.On(method, method == "message" ? [typeof(Guid), typeof(System.Text.Json.JsonElement)] : [typeof(System.Text.Json.JsonElement)],
                (args, _) =>
                {
                    inbox.Add(method, JsonNode.Parse(((System.Text.Json.JsonElement)args[^1]!).GetRawText())!);
                    return Task.CompletedTask;
                }, new object());
        }

        return inbox;
    }

    public sealed class HubInbox
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonNode>> _received = new();

        public void Add(string method, JsonNode value) => _received.GetOrAdd(method, _ => new ConcurrentQueue<JsonNode>()).Enqueue(value);

        public async Task<JsonNode> Next(string method)
        {
            JsonNode? next = null;
            await Eventually(() => Task.FromResult(_received.TryGetValue(method, out var queue) && queue.TryDequeue(out next)), $"no '{method}' arrived");
            return next!;
        }
    }
}
