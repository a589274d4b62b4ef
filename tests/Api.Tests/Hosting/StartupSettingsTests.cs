namespace EventSourcedClinic.Api.Tests.Hosting;

/// <summary>Settings are checked when the host starts (ADR 0012): a wrong one stops it with a message naming it.</summary>
public class StartupSettingsTests
{
    [Theory]
    [InlineData("Encryption:MasterKey", "AAAAAAAAAAAAAAAAAAAAAA==", "Encryption:MasterKey must be 32 random bytes")]
    [InlineData("Booking:HoldMinutes", "0", "HoldMinutes")]
    [InlineData("Hosting:TrustedProxies:0", "the-load-balancer", "not an IP address")]
    public async Task a_host_with_a_wrong_setting_refuses_to_start_and_names_it(string key, string value, string named)
    {
        var app = new ClinicApp(null, new Dictionary<string, string> { [key] = value }, ownsDatabase: true);
        try
        {
            var refused = await Should.ThrowAsync<Exception>(async () => await app.InitializeAsync());
            refused.ToString().ShouldContain(named);
        }
        finally
        {
            try
            {
                await app.DisposeAsync();
            }
            catch (Exception)
            {
                // Disposing a host that never started may fail too; what this test proves is the refusal above.
            }
        }
    }
}
