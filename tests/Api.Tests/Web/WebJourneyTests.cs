using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace EventSourcedClinic.Api.Tests.Web;

/// <summary>
/// The web app in a real browser (Debian's Chromium, headless) against the real API, PostgreSQL and the fake Stripe, as
/// scripts/run starts them: a patient finds a Welsh-speaking therapist, signs in, books and pays on Stripe's hosted
/// page and sees the session booked; the therapist sees it in their week. Every page passes axe-core with no serious or
/// critical violation, at a desktop and a 360-pixel phone width, in English and in Welsh. Screenshots are kept
/// (CLINIC_SCREENSHOTS, the README's are made this way).
/// </summary>
public class WebJourneyTests : IClassFixture<RunningClinic>
{
    private readonly RunningClinic _clinic;
    private static readonly string Shots = Environment.GetEnvironmentVariable("CLINIC_SCREENSHOTS") ?? Path.Combine(AppContext.BaseDirectory, "screenshots");

    public WebJourneyTests(RunningClinic clinic) => _clinic = clinic;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright) => await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium", Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
    });

    /// <summary>No serious or critical accessibility violation on the page as it is now; a screenshot of it kept.</summary>
    private static async Task CheckAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToArray();
        serious.ShouldBeEmpty($"{name} ({page.Url}): " + string.Join("; ", serious.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, $"{name}.png"), FullPage = true });
    }

    [Fact]
    public async Task a_patient_finds_a_welsh_speaking_therapist_books_and_pays_and_the_therapist_sees_it_in_their_week()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var patient = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        var errors = new List<string>();
        patient.PageError += (_, error) => errors.Add(error);

        await patient.GotoAsync(_clinic.WebUrl);
        await CheckAsync(patient, "home-desktop");
        await patient.ClickAsync("main >> a.nhsuk-button");
        await patient.SelectOptionAsync("#language", "cy");
        await patient.ClickAsync("button:has-text('Search')");
        (await patient.TextContentAsync("#results"))!.ShouldContain("therapists found");
        await CheckAsync(patient, "search-desktop");
        var cards = await patient.Locator(".nhsuk-card").AllTextContentsAsync();
        cards.ShouldNotBeEmpty();
        cards.ShouldAllBe(card => card.Contains("Welsh"));

        await patient.Locator(".clinic-card-link").First.ClickAsync();
        var therapistName = (await patient.TextContentAsync("h1"))!.Trim();
        await CheckAsync(patient, "profile-desktop");

        // Signing in goes through the clinic's authorization server and comes back to the same profile.
        await patient.ClickAsync("header >> text=Sign in");
        await CheckAsync(patient, "signin-desktop");
        await patient.FillAsync("input[name=email]", "amira.khan@demo.clinic");
        await patient.FillAsync("input[name=password]", RunningClinic.Password);
        await patient.ClickAsync("button[type=submit]");
        await patient.WaitForURLAsync($"{_clinic.WebUrl}/therapists/**");
        (await patient.TextContentAsync("h1"))!.Trim().ShouldBe(therapistName);

        // Book the first free time: straight to Stripe's hosted page, then back, booked once Stripe's webhook lands.
        var slot = patient.Locator(".clinic-slot").First;
        var time = (await slot.TextContentAsync())!.Trim();
        await slot.ClickAsync();
        await patient.WaitForURLAsync($"{_clinic.StripeUrl}/checkout/**");
        await patient.ClickAsync("button[type=submit]");
        await patient.WaitForSelectorAsync(".clinic-confirmation", new() { Timeout = 30_000 });
        (await patient.TextContentAsync(".clinic-confirmation"))!.ShouldContain(therapistName);
        await CheckAsync(patient, "booked-desktop");
        var appointmentUrl = patient.Url;

        await patient.GotoAsync($"{_clinic.WebUrl}/appointments");
        (await patient.TextContentAsync("table"))!.ShouldContain(therapistName);
        await CheckAsync(patient, "appointments-desktop");

        // The therapist sees the session in their week.
        var therapistEmail = therapistName.ToLowerInvariant().Replace(' ', '.') + "@demo.clinic";
        var therapist = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await therapist.GotoAsync($"{_clinic.WebUrl}/signin?returnUrl=/calendar");
        await therapist.FillAsync("input[name=email]", therapistEmail);
        await therapist.FillAsync("input[name=password]", RunningClinic.Password);
        await therapist.ClickAsync("button[type=submit]");
        await therapist.WaitForURLAsync($"{_clinic.WebUrl}/calendar");
        // The slot's button reads "Book 9:00am, Tuesday 1 December 2026": the session is that day, at that time, booked.
        var (at, day) = (time.Replace("Book ", "").Split(',')[0].Trim(), time.Split(',')[1].Trim());
        bool Shown(IReadOnlyList<string> sessions, string heading) => heading.Contains(day) && sessions.Any(s => s.Contains(at) && s.Contains("Booked"));
        for (var weeks = 0; weeks < 3; weeks++)
        {
            var headings = string.Join("|", await therapist.Locator("h2").AllTextContentsAsync());
            if (Shown(await therapist.Locator(".clinic-session").AllTextContentsAsync(), headings))
            {
                break;
            }

            weeks.ShouldBeLessThan(2, $"the session at {at} on {day} is not in the therapist's calendar");
            await therapist.ClickAsync("text=Next week");
        }

        await CheckAsync(therapist, "calendar-desktop");

        // The patient is now in the therapist's caseload, with their scores charted against the caseness lines.
        await therapist.ClickAsync("header >> a:has-text('Caseload')");
        await therapist.ClickAsync("a:has-text('Amira Khan')");
        (await therapist.Locator("svg.clinic-chart").CountAsync()).ShouldBe(2);
        await CheckAsync(therapist, "caseload-patient-desktop");

        // The therapist opens the session and writes to the patient; the patient reads it and answers (plain forms).
        await therapist.GotoAsync(appointmentUrl.Split('?')[0]);
        await therapist.ClickAsync("main >> a:has-text('Messages')");
        await therapist.FillAsync("#body", "Looking forward to meeting you on Tuesday.");
        await therapist.ClickAsync("button:has-text('Send')");
        (await therapist.Locator(".clinic-message--mine").Last.TextContentAsync())!.ShouldContain("Looking forward to meeting you on Tuesday.");
        await patient.ClickAsync("header >> a:has-text('Messages')");
        (await patient.TextContentAsync(".clinic-messages"))!.ShouldContain("Looking forward to meeting you on Tuesday.");
        (await patient.TextContentAsync(".nhsuk-warning-callout"))!.ShouldContain("116 123");
        await patient.ClickAsync("button:has-text('Send')");
        (await patient.TextContentAsync(".nhsuk-error-summary"))!.ShouldNotBeNullOrWhiteSpace();
        await CheckAsync(patient, "messages-error-desktop");
        await patient.FillAsync("#body", "Thank you, see you then.");
        await patient.ClickAsync("button:has-text('Send')");
        (await patient.Locator(".clinic-message--mine").Last.TextContentAsync())!.ShouldContain("Thank you, see you then.");
        await CheckAsync(patient, "messages-desktop");

        // Another patient may not see it: a "page not found", never a stack trace.
        var other = await (await browser.NewContextAsync()).NewPageAsync();
        await other.GotoAsync($"{_clinic.WebUrl}/signin?returnUrl=/appointments");
        await other.FillAsync("input[name=email]", "piotr.mazur@demo.clinic");
        await other.FillAsync("input[name=password]", RunningClinic.Password);
        await other.ClickAsync("button[type=submit]");
        await other.WaitForURLAsync($"{_clinic.WebUrl}/appointments");
        var refused = await other.GotoAsync(appointmentUrl);
        refused!.Status.ShouldBe(404);
        (await other.TextContentAsync("h1"))!.ShouldBe("Page not found");
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task on_a_phone_in_welsh_the_search_and_a_profile_read_in_cymraeg_and_pass_axe()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var phone = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true })).NewPageAsync();
        await phone.GotoAsync(_clinic.WebUrl);
        await phone.ClickAsync("footer >> a:has-text('Cymraeg')");
        (await phone.GetAttributeAsync("html", "lang")).ShouldBe("cy");
        (await phone.TextContentAsync("h1"))!.ShouldBe("Therapi siarad ar-lein, gyda therapydd sy’n siarad eich iaith");
        await CheckAsync(phone, "home-phone-cy");
        await phone.GotoAsync($"{_clinic.WebUrl}/therapists?language=cy");
        (await phone.TextContentAsync("h1"))!.ShouldBe("Dod o hyd i therapydd");
        (await phone.TextContentAsync("#results"))!.ShouldStartWith("Daethpwyd o hyd i");
        await CheckAsync(phone, "search-phone-cy");
        await phone.Locator(".clinic-card-link").First.ClickAsync();
        (await phone.TextContentAsync("#free-times"))!.ShouldBe("Amseroedd rhydd");
        await CheckAsync(phone, "profile-phone-cy");

        // Back to English, remembered.
        await phone.ClickAsync("footer >> a:has-text('English')");
        (await phone.GetAttributeAsync("html", "lang")).ShouldBe("en");
        await phone.GotoAsync($"{_clinic.WebUrl}/therapists");
        (await phone.TextContentAsync("h1"))!.ShouldBe("Find a therapist");
        // Every therapist can be reached: the directory's next page lists others.
        var firstPage = await phone.Locator(".nhsuk-card__heading").AllTextContentsAsync();
        await phone.ClickAsync(".nhsuk-pagination__link--next");
        (await phone.Locator(".nhsuk-card__heading").AllTextContentsAsync()).ShouldNotBeEmpty();
        (await phone.Locator(".nhsuk-card__heading").AllTextContentsAsync()).Intersect(firstPage).ShouldBeEmpty();

        // A return address that is not this site's (a tab the browser drops makes "/\t/evil" into "//evil") goes home instead.
        await phone.GotoAsync($"{_clinic.WebUrl}/language/en?returnUrl=%2F%09%2Fevil.example");
        new Uri(phone.Url).Authority.ShouldBe(new Uri(_clinic.WebUrl).Authority);

        var missing = await phone.GotoAsync($"{_clinic.WebUrl}/therapists/{Guid.NewGuid()}");
        missing!.Status.ShouldBe(404);
        await CheckAsync(phone, "not-found-phone");
    }

    [Fact]
    public async Task booking_works_with_the_keyboard_alone()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();

        // Tab until the focused element matches, then Enter (at most 80 presses: a page a keyboard user could live with).
        async Task TabToAndPress(string selector)
        {
            for (var presses = 0; !await page.EvaluateAsync<bool>($"() => document.activeElement?.matches({System.Text.Json.JsonSerializer.Serialize(selector)}) === true"); presses++)
            {
                presses.ShouldBeLessThan(80, $"{selector} was not reached with Tab on {page.Url}");
                await page.Keyboard.PressAsync("Tab");
            }

            await page.Keyboard.PressAsync("Enter");
        }

        await page.GotoAsync($"{_clinic.WebUrl}/therapists?language=cy");
        await TabToAndPress(".clinic-card-link");
        await page.WaitForURLAsync($"{_clinic.WebUrl}/therapists/**");
        await TabToAndPress("header a[href^='/signin']");
        await page.WaitForURLAsync("**/account/login**");
        await TabToAndPress("input[name=email]");
        await page.Keyboard.TypeAsync("piotr.mazur@demo.clinic");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(RunningClinic.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"{_clinic.WebUrl}/therapists/**");
        await TabToAndPress(".clinic-slot");
        await page.WaitForURLAsync($"{_clinic.StripeUrl}/checkout/**");
        await TabToAndPress("button[type=submit]");
        await page.WaitForSelectorAsync(".clinic-confirmation", new() { Timeout = 30_000 });

        // Cancelling shows what happens to the fee first; a reason is needed; then the session is cancelled and refunded.
        await page.ClickAsync("a:has-text('Cancel this appointment')");
        (await page.TextContentAsync(".clinic-fee-outcome"))!.ShouldContain("You will get £");
        await CheckAsync(page, "cancel-desktop");
        await page.ClickAsync("button:has-text('Cancel this appointment')");
        (await page.TextContentAsync(".nhsuk-error-summary"))!.ShouldNotBeNullOrWhiteSpace();
        await page.FillAsync("#reason", "I have a clash at work.");
        await page.ClickAsync("button:has-text('Cancel this appointment')");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/appointments/[0-9a-f-]+$"));
        (await page.TextContentAsync(".nhsuk-summary-list"))!.ShouldContain("Cancelled");
    }

    [Fact]
    public async Task the_patient_waits_the_therapist_lets_them_in_and_both_meet_in_the_video_room()
    {
        Environment.GetEnvironmentVariable("Video__Janus__Url").ShouldNotBeNull("run the tests with scripts/test, which starts Janus");
        using var http = new HttpClient();
        var jordan = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{_clinic.ApiUrl}/api/directory/therapists?q=Jordan", Cancel))
            .RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);

        async Task<IPage> SignedIn(string email, string returnUrl)
        {
            var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
            await page.GotoAsync($"{_clinic.WebUrl}/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
            await page.FillAsync("input[name=email]", email);
            await page.FillAsync("input[name=password]", RunningClinic.Password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync($"{_clinic.WebUrl}{returnUrl.Split('?')[0]}**");
            return page;
        }

        // The patient books the drop-in therapist's next time (at most 20 minutes away) and pays.
        var patient = await SignedIn("sian.evans@demo.clinic", $"/therapists/{jordan}");
        await patient.Locator(".clinic-slot").First.ClickAsync();
        await patient.WaitForURLAsync($"{_clinic.StripeUrl}/checkout/**");
        await patient.ClickAsync("button[type=submit]");
        await patient.WaitForSelectorAsync(".clinic-confirmation", new() { Timeout = 30_000 });
        var appointment = patient.Url.Split('?')[0];

        // They join: the waiting room, which updates itself.
        await patient.ClickAsync("button:has-text('Join the video session')");
        try
        {
            await patient.WaitForSelectorAsync("text=You are in the waiting room", new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            throw new ShouldAssertException($"No waiting room at {patient.Url}: {await patient.TextContentAsync("main")}");
        }

        await CheckAsync(patient, "waiting-room-desktop");

        // The therapist sees them waiting and lets them in.
        var therapist = await SignedIn("jordan.reid@demo.clinic", appointment.Replace(_clinic.WebUrl, ""));
        (await therapist.TextContentAsync(".nhsuk-warning-callout"))!.ShouldContain("Your patient is waiting");
        await CheckAsync(therapist, "patient-waiting-desktop");
        await therapist.ClickAsync("button:has-text('Let them in')");
        await therapist.ClickAsync("button:has-text('Join the video session')");
        await therapist.WaitForURLAsync($"{_clinic.ApiUrl}/video/room#**");

        // The patient's page notices (it looks again every few seconds) and they join; each sees the other.
        await patient.ClickAsync("button:has-text('Join the video session')", new() { Timeout = 30_000 });
        await patient.WaitForURLAsync($"{_clinic.ApiUrl}/video/room#**");
        foreach (var page in new[] { patient, therapist })
        {
            await page.WaitForFunctionAsync("() => document.getElementById('remote').videoWidth > 0", null, new() { Timeout = 45_000 });
        }
    }

    [Fact]
    public async Task a_patient_answers_phq9_sees_their_scores_charted_and_is_given_crisis_contacts_when_risk_is_flagged()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await page.GotoAsync($"{_clinic.WebUrl}/signin?returnUrl=/questionnaires");
        await page.FillAsync("input[name=email]", "amira.khan@demo.clinic");
        await page.FillAsync("input[name=password]", RunningClinic.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{_clinic.WebUrl}/questionnaires");

        await page.ClickAsync("a:has-text('Answer PHQ-9')");
        // Submitted with questions unanswered: the error summary names each, and nothing is recorded.
        await page.CheckAsync("#q0-1");
        await page.ClickAsync("button:has-text('Submit your answers')");
        (await page.Locator(".nhsuk-error-summary__list li").CountAsync()).ShouldBe(8);
        await CheckAsync(page, "phq9-errors-desktop");
        for (var item = 1; item < 9; item++)
        {
            await page.CheckAsync($"#q{item}-{(item == 8 ? 1 : 2)}");
        }

        await page.ClickAsync("button:has-text('Submit your answers')");
        await page.WaitForURLAsync($"{_clinic.WebUrl}/questionnaires?latest=**");
        (await page.TextContentAsync(".clinic-confirmation"))!.ShouldContain("Your score is 16");
        (await page.TextContentAsync(".clinic-risk"))!.ShouldContain("116 123");
        (await page.Locator("svg.clinic-chart").First.Locator("circle").CountAsync()).ShouldBeGreaterThan(0);
        (await page.TextContentAsync("table"))!.ShouldContain("16");
        await CheckAsync(page, "questionnaires-desktop");

        // How the clinic tells her things: at least one channel (the API's refusal shown), then her choices kept.
        await page.ClickAsync("header >> a:has-text('Notifications')");
        foreach (var box in await page.Locator("input[name=channels]:checked").AllAsync())
        {
            await box.UncheckAsync();
        }

        await page.ClickAsync("button:has-text('Save your choices')");
        (await page.TextContentAsync(".nhsuk-error-summary"))!.ShouldNotBeNullOrWhiteSpace();
        await page.CheckAsync("#channel-email");
        await page.CheckAsync("#channel-sms");
        await page.CheckAsync("#language-cy");
        await page.FillAsync("#quiet-from", "21:00");
        await page.FillAsync("#quiet-until", "08:00");
        await page.ClickAsync("button:has-text('Save your choices')");
        await page.WaitForSelectorAsync(".clinic-confirmation");
        (await page.IsCheckedAsync("#channel-sms")).ShouldBeTrue();
        (await page.IsCheckedAsync("#language-cy")).ShouldBeTrue();
        (await page.InputValueAsync("#quiet-from")).ShouldBe("21:00");
        await CheckAsync(page, "notifications-desktop");
    }

    [Fact]
    public async Task the_compliance_officer_verifies_the_chain_and_sees_the_break_glass_reads_to_review()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await page.GotoAsync($"{_clinic.WebUrl}/signin?returnUrl=/compliance");
        await page.FillAsync("input[name=email]", "compliance@demo.clinic");
        await page.FillAsync("input[name=password]", RunningClinic.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{_clinic.WebUrl}/compliance");
        // The demo has one break-glass read (a therapist outside the care team, with a reason).
        (await page.Locator("table tbody tr").CountAsync()).ShouldBeGreaterThan(0);
        await page.ClickAsync("button:has-text('Verify the chain now')");
        (await page.TextContentAsync(".clinic-chain"))!.ShouldContain("The chain is intact");
        await CheckAsync(page, "compliance-desktop");

        // A patient may not see the compliance desk.
        var patient = await (await browser.NewContextAsync()).NewPageAsync();
        await patient.GotoAsync($"{_clinic.WebUrl}/signin?returnUrl=/appointments");
        await patient.FillAsync("input[name=email]", "james.taylor@demo.clinic");
        await patient.FillAsync("input[name=password]", RunningClinic.Password);
        await patient.ClickAsync("button[type=submit]");
        await patient.WaitForURLAsync($"{_clinic.WebUrl}/appointments");
        (await patient.GotoAsync($"{_clinic.WebUrl}/compliance"))!.Status.ShouldBe(404);
    }
}
