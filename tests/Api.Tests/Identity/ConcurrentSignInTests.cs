using System.Net;
using EventSourcedClinic.Api.Identity;

namespace EventSourcedClinic.Api.Tests.Identity;

public class ConcurrentSignInTests(ClinicApp app)
{
    [Fact]
    public async Task many_sign_ins_of_one_user_racing_to_reset_the_failure_count_all_get_tokens()
    {
        var patient = await PatientAccounts.Register(app);

        // One wrong password first, so that every good sign-in races to reset the same failure count.
        (await app.RequestToken(("grant_type", "password"), ("client_id", ClientRegistry.ClinicApp), ("username", patient.Email),
            ("password", "wrong-password"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.RequestToken(
            ("grant_type", "password"), ("client_id", ClientRegistry.ClinicApp), ("username", patient.Email),
            ("password", patient.Password), ("scope", ClinicScopes.Api))));

        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }
}
