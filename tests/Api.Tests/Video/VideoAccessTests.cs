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

        // After the window: closed.
        app.Clock.Offset += end.AddMinutes(16) - app.Clock.GetUtcNow();
        (await Scenarios.Problem(await Join(patient.Email, patient.Password))).GetProperty("rule").GetString().ShouldBe("room-closed");
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
