using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Domain.Video;
using EventSourcedClinic.Integrations.Video;
using Microsoft.Playwright;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Video;

/// <summary>
/// The session's room on Janus (started by scripts/test on loopback): the patient and the therapist each get the room's
/// PIN from the clinic inside the join window, open the clinic's room page in headless Chromium with a fake camera, and
/// each receives the other's video through Janus.
/// </summary>
public class JanusRoomTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_patient_and_the_therapist_join_the_sessions_room_in_two_browsers_and_see_each_other()
    {
        var janusUrl = Environment.GetEnvironmentVariable("Video__Janus__Url").ShouldNotBeNull("run the tests with scripts/test, which starts Janus");
        var recordings = Directory.CreateTempSubdirectory("clinic-recordings-");
        await using var app = new ClinicApp(null, new Dictionary<string, string>
        {
            ["Video:Provider"] = "janus", ["Video:PresenceCheckSeconds"] = "1", ["Video:Janus:RecordingsFolder"] = recordings.FullName,
            ["Payments:Billing:NightlyReconciliation"] = "false",
        }, ownsDatabase: true);
        await app.InitializeAsync();
        var therapist = await BookableTherapist(app);
        var patient = await PatientAccounts.Register(app);
        var start = LondonInDays(app, 2, 11);
        var admin = app.As(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword));
        var booked = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId = patient.Id, funding = "nhs" });
        booked.StatusCode.ShouldBe(HttpStatusCode.Created, await booked.Content.ReadAsStringAsync(Cancel));
        var appointmentId = (await booked.Content.ReadFromJsonAsync<Api.Scheduling.Booking.BookedAppointment>(ClinicApp.Json, Cancel))!.AppointmentId;
        app.Clock.Offset += start.AddMinutes(-2) - app.Clock.GetUtcNow();

        async Task<VideoAccess> Access(string email, string password)
        {
            var response = await app.As(await app.PasswordToken(email, password)).PostAsync($"/api/appointments/{appointmentId}/video-access", null, Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
            return (await response.Content.ReadFromJsonAsync<VideoAccess>(ClinicApp.Json, Cancel))!;
        }

        var forTherapist = await Access(therapist.Email, therapist.Password);
        (await app.As(await app.PasswordToken(therapist.Email, therapist.Password)).PostAsync($"/api/appointments/{appointmentId}/video-room/admission", null, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var forPatient = await Access(patient.Email, patient.Password);
        (forPatient.Provider, forPatient.ServerUrl, forPatient.Room).ShouldBe(("janus", janusUrl, forTherapist.Room));
        forPatient.Token.ShouldBe(forTherapist.Token);
        // TURN credentials for coturn (scripts/janus.sh starts it on loopback), expiring with the window: coturn grants an
        // allocation with them, and refuses one whose password was tampered with.
        var turn = forPatient.IceServers.ShouldHaveSingleItem();
        turn.Username.ShouldBe($"{forPatient.ExpiresAt.ToUnixTimeSeconds()}:{patient.Id}");
        (await TurnAllocation(turn.Username, turn.Credential)).ShouldContain("start_mclient: tot_send_msgs");
        (await TurnAllocation(turn.Username, "x" + turn.Credential[1..])).ShouldContain("Cannot complete Allocation");

        // The page and Janus's script as the clinic serves them, to a browser that reaches the clinic on loopback, as the demo does.
        var page = await app.Anonymous().GetStringAsync("/video/room", Cancel);
        var script = await app.Anonymous().GetStringAsync("/video/janus.js", Cancel);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                // The page comes from Playwright's router, not a loopback server, so Chromium would ask before it reaches
                // Janus on loopback (Local Network Access); the demo's page is served from loopback and needs no such flag.
                "--disable-features=LocalNetworkAccessChecks"],
        });

        var console = new System.Collections.Concurrent.ConcurrentBag<string>();
        async Task<IPage> Open(VideoAccess access, string name)
        {
            var context = await browser.NewContextAsync();
            await context.RouteAsync("http://127.0.0.1:5999/video/room", route => route.FulfillAsync(new() { Body = page, ContentType = "text/html; charset=utf-8" }));
            await context.RouteAsync("http://127.0.0.1:5999/video/janus.js", route => route.FulfillAsync(new() { Body = script, ContentType = "text/javascript" }));
            var tab = await context.NewPageAsync();
            tab.Console += (_, message) => console.Add($"{name}: {message.Type}: {message.Text}");
            tab.PageError += (_, error) => console.Add($"{name}: page error: {error}");
            await tab.GotoAsync($"http://127.0.0.1:5999/video/room#server={Uri.EscapeDataString(access.ServerUrl!)}&room={access.Room}&pin={access.Token}&id={Uri.EscapeDataString(access.Identity)}&ice={Uri.EscapeDataString(System.Text.Json.JsonSerializer.Serialize(access.IceServers ?? [], ClinicApp.Json))}&name={name}");
            return tab;
        }

        var patientTab = await Open(forPatient, "Patient");
        var therapistTab = await Open(forTherapist, "Therapist");
        foreach (var tab in new[] { patientTab, therapistTab })
        {
            try
            {
                await tab.WaitForFunctionAsync("() => document.getElementById('remote').videoWidth > 0", null, new() { Timeout = 45_000 });
            }
            catch (TimeoutException)
            {
                throw new ShouldAssertException($"No video arrived. Status: {await tab.TextContentAsync("#status")}\n{string.Join("\n", console)}");
            }

            (await tab.TextContentAsync("#status")).ShouldBe("You are connected.");
        }

        // The patient joins again from another device: the clinic lets the first connection go, and that tab says why.
        var phoneTab = await Open(await Access(patient.Email, patient.Password), "Patient");
        await patientTab.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('another tab or device')", null,
            new() { Timeout = 20_000 });
        await phoneTab.WaitForFunctionAsync("() => document.getElementById('remote').videoWidth > 0", null, new() { Timeout = 45_000 });
        patientTab = phoneTab;

        // A wrong PIN is refused by Janus itself.
        var intruder = await Open(forPatient with { Token = "000000000000", Identity = "" }, "Intruder");
        await intruder.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('The room refused us')", null, new() { Timeout = 20_000 });

        // The clinic looks at who is in the room: both there, so the session has started (when the second arrived).
        await Payments.StripeScenarios.Eventually(async () =>
            (await Scenarios.Events(app, appointmentId)).Any(e => e.Data is Domain.Scheduling.Booking.SessionStarted), "the session did not start when both joined");
        var joins = (await Scenarios.Events(app, VideoSession.StreamId(appointmentId))).Select(e => e.Data).OfType<ParticipantJoined>().ToArray();
        joins.Select(j => (j.ParticipantId, j.Role)).Distinct().ShouldBe([(patient.Id, VideoRole.Patient), (therapist.Id, VideoRole.Therapist)], ignoreOrder: true);

        // Recording: refused until the patient consents; then Janus writes the room's media; withdrawing consent stops it.
        var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var asPatient = app.As(await app.PasswordToken(patient.Email, patient.Password));
        var recording = $"/api/appointments/{appointmentId}/video-room/recording";
        (await Scenarios.Problem(await asTherapist.PostAsJsonAsync(recording, new { record = true }, Cancel))).GetProperty("rule").GetString()
            .ShouldBe("no-recording-consent");
        (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/consents", new { scope = "sessionRecording", given = true, policyVersion = "2027-01" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var started = await asTherapist.PostAsJsonAsync(recording, new { record = true }, Cancel);
        started.StatusCode.ShouldBe(HttpStatusCode.OK, await started.Content.ReadAsStringAsync(Cancel));
        await Payments.StripeScenarios.Eventually(() => Task.FromResult(recordings.GetFiles("*.mjr").Any(f => f.Length > 0)), "Janus wrote no recording");
        (await asPatient.PostAsJsonAsync($"/api/patients/{patient.Id}/consents", new { scope = "sessionRecording", given = false, policyVersion = "2027-01" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await Payments.StripeScenarios.Eventually(async () =>
            (await Scenarios.Events(app, VideoSession.StreamId(appointmentId))).Any(e => e.Data is RecordingStopped { Reason: "consent-withdrawn" }),
            "the recording did not stop when consent was withdrawn");
        recordings.Delete(true);

        // The therapist leaves (the page's Leave button): recorded at the next look.
        await therapistTab.ClickAsync("#leave");
        await Payments.StripeScenarios.Eventually(async () =>
            (await Scenarios.Events(app, VideoSession.StreamId(appointmentId))).Any(e => e.Data is ParticipantLeft { Role: VideoRole.Therapist }),
            "the therapist's leaving was not seen");

        // The window passes: the room is destroyed at Janus, the patient still in it taken to have left, the session completed.
        app.Clock.Offset += start.AddMinutes(66) - app.Clock.GetUtcNow();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new Api.Video.CloseVideoRoom(appointmentId), Cancel);
        }

        var video = (await Scenarios.Events(app, VideoSession.StreamId(appointmentId))).Select(e => e.Data).ToArray();
        video.OfType<ParticipantLeft>().TakeLast(2).Select(l => l.Role).ShouldBe([VideoRole.Therapist, VideoRole.Patient]);
        video.Last().ShouldBeOfType<VideoRoomClosed>();
        (await Scenarios.Events(app, appointmentId)).Last().Data.ShouldBeOfType<Domain.Scheduling.Booking.SessionCompleted>();
        await patientTab.WaitForFunctionAsync("() => document.getElementById('status').textContent === 'The session has ended.'", null, new() { Timeout = 20_000 });
    }

    /// <summary>coturn's own test client asks the TURN server for a relay allocation with these credentials; its output says whether it got one.</summary>
    private static async Task<string> TurnAllocation(string username, string credential)
    {
        var port = new Uri(Environment.GetEnvironmentVariable("Video__Turn__Urls__0")!.Replace("turn:", "turn://")).Port;
        using var client = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("turnutils_uclient",
            ["-u", username, "-w", credential, "-p", port.ToString(), "-n", "1", "-m", "1", "-e", "127.0.0.1", "127.0.0.1"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = client.StandardOutput.ReadToEndAsync(Cancel);
        var errors = client.StandardError.ReadToEndAsync(Cancel);
        await client.WaitForExitAsync(Cancel).WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        var all = await output + await errors;
        all.ShouldNotBeEmpty();
        return all;
    }
}
