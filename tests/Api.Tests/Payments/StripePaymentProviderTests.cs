using EventSourcedClinic.Integrations.Payments;

namespace EventSourcedClinic.Api.Tests.Payments;

/// <summary>A clinic without card payments configured starts, and says so when asked to take one (the published build once did not).</summary>
public class StripePaymentProviderTests
{
    [Fact]
    public async Task without_keys_the_provider_is_made_and_every_call_is_unavailable_not_a_crash()
    {
        var provider = new StripePaymentProvider(new StripeSettings());

        (await Should.ThrowAsync<PaymentProviderUnavailableException>(() =>
            provider.CreateIntentAsync(Guid.NewGuid(), 5000, "key", TestContext.Current.CancellationToken))).Message.ShouldContain("not configured");
        await Should.ThrowAsync<PaymentProviderUnavailableException>(() => provider.RefundAsync("pi_1", 100, "key", TestContext.Current.CancellationToken));
        provider.ReadNotification("{}", "t=1,v1=00").ShouldBeNull();
    }
}
