using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventSourcedClinic.Api.Payments;
using EventSourcedClinic.Api.Scheduling.Booking;

namespace EventSourcedClinic.Api.Tests.Payments;

/// <summary>What payers, therapists and Stripe itself do at the fake Stripe, for the payment tests.</summary>
public static class StripeScenarios
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Waits (polling, with a deadline) for what Stripe's notifications and the outbox bring about.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, what ?? "the condition did not hold within 20 seconds");
            await poll.WaitForNextTickAsync(Cancel);
        }
    }

    /// <summary>A call to the fake Stripe's API with a key (the secret one, as the clinic or Stripe's dashboard; or the publishable one, as a device).</summary>
    public static async Task<HttpResponseMessage> Post(ClinicApp app, string path, IEnumerable<KeyValuePair<string, string>> form, string key = "sk_test_dashboard")
    {
        using var stripe = new HttpClient();
        stripe.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await stripe.PostAsync($"{app.StripeUrl}{path}", new FormUrlEncodedContent(form), Cancel);
    }

    public static async Task<JsonNode> Get(ClinicApp app, string path)
    {
        using var stripe = new HttpClient();
        stripe.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_dashboard");
        return JsonNode.Parse(await stripe.GetStringAsync($"{app.StripeUrl}{path}", Cancel))!;
    }

    /// <summary>Opens the hosted page for a held session and pays on it with a test card, as a browser would.</summary>
    public static async Task<CheckoutPage> PayOnCheckout(HttpClient patient, BookedAppointment booked, string card = "4242 4242 4242 4242",
        string successUrl = "https://app.example/paid")
    {
        var opened = await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/checkout",
            new { successUrl, cancelUrl = "https://app.example/not-paid" }, Cancel);
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync(Cancel));
        var checkout = (await opened.Content.ReadFromJsonAsync<CheckoutPage>(ClinicApp.Json, Cancel))!;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var paid = await browser.PostAsync(checkout.CheckoutUrl, new FormUrlEncodedContent([new("card_number", card)]), Cancel);
        paid.StatusCode.ShouldBe(HttpStatusCode.Redirect, await paid.Content.ReadAsStringAsync(Cancel));
        return checkout;
    }

    /// <summary>Follows Stripe's onboarding link as the therapist's browser would, finishing it.</summary>
    public static async Task FinishOnboarding(string onboardingUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        (await browser.GetStringAsync(onboardingUrl, Cancel)).ShouldContain("Set up payouts");
        (await browser.PostAsync(onboardingUrl, null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}
