namespace EventSourcedClinic.FakeStripe;

/// <summary>A local Stripe for the demo: scripts/run starts it on loopback and points the clinic at it.</summary>
public static class FakeStripeProgram
{
    public static Task Main(string[] args) => FakeStripeServer.Build(new FakeStripeOptions
    {
        Urls = Environment.GetEnvironmentVariable("FAKE_STRIPE_URLS") ?? "http://127.0.0.1:12111",
        WebhookSecret = Environment.GetEnvironmentVariable("FAKE_STRIPE_WEBHOOK_SECRET") ?? "whsec_fake_stripe_local",
        WebhookUrl = Environment.GetEnvironmentVariable("FAKE_STRIPE_WEBHOOK_URL"),
    }, args).RunAsync();
}
