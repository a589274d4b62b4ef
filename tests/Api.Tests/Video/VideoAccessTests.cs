using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EventSourcedClinic.Domain.Video;
using EventSourcedClinic.Integrations.Video;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Video;

/// <summary>
/// A session's video room through Twilio Video: a token for that room alone, only for its patient and therapist, only
/// inside the join window, expiring when the window closes; each grant recorded.
/// </summary>
public class VideoAccessTests
{
    private const string Secret = "test-api-key-secret-0123456789abcdef";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task only_the_sessions_two_people_get_a_token_for_its_room_and_only_inside_the_join_window()
    {
        await using var app = new ClinicApp(null, new Dictionary<string, string>
        {
            ["Video:Provider"] = "twilio", ["Video:Twilio:AccountSid"] = "AC" + new string('a', 32), ["Video:Twilio:ApiKeySid"] = "SK" + new string('b', 32),
            ["Video:Twilio:ApiKeySecret"] = Secret, ["Payments:Billing:NightlyReconciliation"] = "false",
        }, ownsDatabase: true);
        await app.InitializeAsync();
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        var start = LondonInDays(app, 2, 10);
        var admin = app.As(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword));
        var booked = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId = patient.Id, funding = "nhs" });
        booked.StatusCode.ShouldBe(HttpStatusCode.Created, await booked.Content.ReadAsStringAsync(Cancel));
        var appointmentId = (await booked.Content.ReadFromJsonAsync<Api.Scheduling.Booking.BookedAppointment>(ClinicApp.Json, Cancel))!.AppointmentId;

        async Task<HttpResponseMessage> Join(string email, string password) =>
            await app.As(await app.PasswordToken(email, password)).PostAsync($"/api/appointments/{appointmentId}/video-access", null, Cancel);

        (await Scenarios.Problem(await Join(patient.Email, patient.Password))).GetProperty("rule").GetString().ShouldBe("too-early");
        var stranger = await PatientAccounts.Register(app);
        var otherTherapist = await Scenarios.Listed(app, ["en"], ["cbt"], ["anxiety"], 5000, "Another.");

        // Five minutes before the start: the patient waits until the therapist lets them in; then both have a token for this room alone.
        app.Clock.Offset += start.AddMinutes(-5) - app.Clock.GetUtcNow();
        var waiting = await Join(patient.Email, patient.Password);
        waiting.StatusCode.ShouldBe(HttpStatusCode.Accepted, await waiting.Content.ReadAsStringAsync(Cancel));
        var therapistClient = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        (await therapistClient.GetFromJsonAsync<Api.Video.VideoRoomView>($"/api/appointments/{appointmentId}/video-room", ClinicApp.Json, Cancel))!
            .PatientWaiting.ShouldBeTrue();
        (await Join(therapist.Email, therapist.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await therapistClient.PostAsync($"/api/appointments/{appointmentId}/video-room/admission", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var asPatient = await Join(patient.Email, patient.Password);
        asPatient.StatusCode.ShouldBe(HttpStatusCode.OK, await asPatient.Content.ReadAsStringAsync(Cancel));
        var access = (await asPatient.Content.ReadFromJsonAsync<VideoAccess>(ClinicApp.Json, Cancel))!;
        access.Room.ShouldBe(VideoSession.RoomFor(appointmentId));
        var claims = VerifiedClaims(access.Token);
        claims["grants"]!["video"]!["room"]!.GetValue<string>().ShouldBe(access.Room);
        claims["grants"]!["identity"]!.GetValue<string>().ShouldBe(patient.Id.ToString());
        claims["iss"]!.GetValue<string>().ShouldBe("SK" + new string('b', 32));
        var end = start.AddMinutes(50);
        claims["exp"]!.GetValue<long>().ShouldBe(end.AddMinutes(15).ToUnixTimeSeconds());
        claims["nbf"]!.GetValue<long>().ShouldBe(start.AddMinutes(-10).ToUnixTimeSeconds());
        // Nobody else: another patient or therapist is told there is no such session; the desk has no video role.
        (await Join(stranger.Email, stranger.Password)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Join(otherTherapist.Email, otherTherapist.Password)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.As(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword)).PostAsync($"/api/appointments/{appointmentId}/video-access", null, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Scenarios.Events(app, VideoSession.StreamId(appointmentId))).Select(e => e.Data).OfType<VideoJoinGranted>()
            .Select(g => g.Role).ShouldBe([VideoRole.Therapist, VideoRole.Patient]);
        (await app.As(await app.PasswordToken(otherTherapist.Email, otherTherapist.Password)).PostAsync($"/api/appointments/{appointmentId}/video-room/admission", null, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // After the window: closed. Twilio here reports nobody's joins (no status callbacks configured), so the closing room
        // decides nothing about the session: a session that may well have taken place is not cancelled.
        app.Clock.Offset += end.AddMinutes(16) - app.Clock.GetUtcNow();
        (await Scenarios.Problem(await Join(patient.Email, patient.Password))).GetProperty("rule").GetString().ShouldBe("room-closed");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new Api.Video.CloseVideoRoom(appointmentId), Cancel);
        }

        (await Scenarios.Events(app, appointmentId)).Last().Data.ShouldBeOfType<Domain.Scheduling.Booking.AppointmentConfirmed>();
        (await Scenarios.Events(app, VideoSession.StreamId(appointmentId))).Last().Data.ShouldBeOfType<VideoRoomClosed>();
    }

    [Fact]
    public async Task twilio_reports_who_came_the_session_starts_when_both_are_there_and_a_therapist_who_never_came_means_a_refunded_cancellation()
    {
        var settings = new Dictionary<string, string>
        {
            ["Video:Provider"] = "twilio", ["Video:Twilio:ApiKeySid"] = "SK" + new string('b', 32), ["Video:Twilio:ApiKeySecret"] = Secret,
            ["Video:Twilio:StatusCallbackUrl"] = "http://localhost/webhooks/twilio/video-status", ["Payments:Billing:NightlyReconciliation"] = "false",
        };
        await using var app = new ClinicApp(null, settings, ownsDatabase: true);
        (settings["Video:Twilio:AccountSid"], settings["Video:Twilio:AuthToken"], settings["Video:Twilio:ApiBase"]) =
            (app.TwilioOptions.AccountSid, app.TwilioOptions.AuthToken, app.TwilioOptions.Urls);
        await app.InitializeAsync();
        var therapist = await BookableTherapist(app);
        var twilio = new HttpClient { BaseAddress = new Uri(app.TwilioOptions.Urls) };

        async Task<(Guid Id, PatientAccounts.PatientAccount Patient, DateTimeOffset Start)> Session(int days)
        {
            var patient = await PatientAccounts.Register(app);
            var start = LondonInDays(app, days, 10);
            var admin = app.As(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword));
            var booked = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId = patient.Id, funding = "nhs" });
            booked.StatusCode.ShouldBe(HttpStatusCode.Created, await booked.Content.ReadAsStringAsync(Cancel));
            return ((await booked.Content.ReadFromJsonAsync<Api.Scheduling.Booking.BookedAppointment>(ClinicApp.Json, Cancel))!.AppointmentId, patient, start);
        }

        async Task Report(Guid appointmentId, Guid who, string what) =>
            (await twilio.PostAsync($"/_fake/rooms/{VideoSession.RoomFor(appointmentId)}/participants?identity={who}&event={what}", null, Cancel))
                .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // Both join: the clinic made the room at Twilio with its status callback; Twilio's reports start the session.
        var (held, patient, start) = await Session(2);
        app.Clock.Offset += start.AddMinutes(-5) - app.Clock.GetUtcNow();
        var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        (await asTherapist.PostAsync($"/api/appointments/{held}/video-access", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asTherapist.PostAsync($"/api/appointments/{held}/video-room/admission", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asPatient.PostAsync($"/api/appointments/{held}/video-access", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var rooms = await twilio.GetFromJsonAsync<JsonArray>("/_fake/rooms", Cancel);
        rooms!.Select(r => r!["unique_name"]!.GetValue<string>()).ShouldBe([VideoSession.RoomFor(held)]);
        await Report(held, therapist.Id, "connected");
        (await Scenarios.Events(app, held)).Last().Data.ShouldNotBeOfType<Domain.Scheduling.Booking.SessionStarted>();
        await Report(held, patient.Id, "connected");
        await Report(held, patient.Id, "connected");
        (await Scenarios.Events(app, held)).Last().Data.ShouldBeOfType<Domain.Scheduling.Booking.SessionStarted>();
        (await Scenarios.Events(app, VideoSession.StreamId(held))).Select(e => e.Data).OfType<ParticipantJoined>().Count().ShouldBe(2);

        // A report not signed with the account's auth token changes nothing; one about a stranger is ignored.
        var forged = new Dictionary<string, string>
        {
            ["RoomName"] = VideoSession.RoomFor(held), ["StatusCallbackEvent"] = "participant-disconnected", ["ParticipantIdentity"] = patient.Id.ToString(),
        };
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio/video-status") { Content = new FormUrlEncodedContent(forged) })
        {
            request.Headers.Add("X-Twilio-Signature", FakeTwilio.FakeTwilioServer.Sign("http://localhost/webhooks/twilio/video-status", forged, "not-the-token"));
            (await Scenarios.Problem(await app.Anonymous().SendAsync(request, Cancel))).GetProperty("status").GetInt32().ShouldBe(400);
        }

        await Report(held, Guid.NewGuid(), "connected");
        (await Scenarios.Events(app, VideoSession.StreamId(held))).Select(e => e.Data).OfType<ParticipantJoined>().Count().ShouldBe(2);

        // They leave; the window passes: the room is ended at Twilio and the session completed when the last one left.
        await Report(held, therapist.Id, "disconnected");
        await Report(held, patient.Id, "disconnected");
        app.Clock.Offset += start.AddMinutes(66) - app.Clock.GetUtcNow();
        await using var scope = app.Services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>();
        await bus.InvokeAsync(new Api.Video.CloseVideoRoom(held), Cancel);
        (await Scenarios.Events(app, held)).Last().Data.ShouldBeOfType<Domain.Scheduling.Booking.SessionCompleted>();
        (await twilio.GetFromJsonAsync<JsonArray>("/_fake/rooms", Cancel))!.Single()!["status"]!.GetValue<string>().ShouldBe("completed");
        await bus.InvokeAsync(new Api.Video.CloseVideoRoom(held), Cancel);
        (await Scenarios.Events(app, VideoSession.StreamId(held))).Select(e => e.Data).OfType<VideoRoomClosed>().Count().ShouldBe(1);

        // Another session: only the patient came, and waited to be let in. When the window has passed, the clinic cancels it
        // (a cancellation by the clinic, so a paid session is refunded in full).
        var (missed, waitingPatient, laterStart) = await Session(3);
        app.Clock.Offset += laterStart.AddMinutes(-5) - app.Clock.GetUtcNow();
        var asWaiting = app.As(await app.PasswordToken(waitingPatient.Email, waitingPatient.Password));
        (await asWaiting.PostAsync($"/api/appointments/{missed}/video-access", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        app.Clock.Offset += laterStart.AddMinutes(66) - app.Clock.GetUtcNow();
        await bus.InvokeAsync(new Api.Video.CloseVideoRoom(missed), Cancel);
        var cancelled = (await Scenarios.Events(app, missed)).Last().Data.ShouldBeOfType<Domain.Scheduling.Booking.AppointmentCancelled>();
        cancelled.CancelledBy.ShouldBe(Domain.Scheduling.Booking.CancelledBy.Clinic);
    }

    /// <summary>The token's claims, once its HMAC-SHA256 signature checks out with the API key's secret (as Twilio checks it).</summary>
    private static JsonNode VerifiedClaims(string jwt)
    {
        var parts = jwt.Split('.');
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{parts[0]}.{parts[1]}"));
        Base64UrlDecode(parts[2]).ShouldBe(signature);
        return JsonNode.Parse(Base64UrlDecode(parts[1]))!;
    }

    private static byte[] Base64UrlDecode(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight((text.Length + 3) / 4 * 4, '='));
}
