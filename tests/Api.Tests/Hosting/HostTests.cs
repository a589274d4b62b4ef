using System.Net;
using System.Text.Json;
using EventSourcedClinic.Api.Hosting;

namespace EventSourcedClinic.Api.Tests.Hosting;

public class HostTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task liveness_and_readiness_answer_without_a_token()
    {
        (await app.Anonymous().GetAsync("/health/live", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await app.Anonymous().GetAsync("/health/ready", Cancel);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync(Cancel)).ShouldBe("Healthy");
    }

    [Fact]
    public async Task the_openapi_document_lists_the_endpoints_and_the_bearer_scheme()
    {
        var json = await app.Anonymous().GetStringAsync("/swagger/v1/swagger.json", Cancel);
        var document = JsonDocument.Parse(json).RootElement;

        document.GetProperty("paths").TryGetProperty("/api/directory/therapists", out _).ShouldBeTrue();
        document.GetProperty("paths").TryGetProperty("/api/therapists/{therapistId}/verification", out _).ShouldBeTrue();
        document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
    }

    [Fact]
    public async Task an_unknown_route_is_a_404_problem()
    {
        var response = await (await app.AsAdmin()).GetAsync("/api/nothing-here", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Scenarios.Problem(response)).GetProperty("status").GetInt32().ShouldBe(404);
    }

    [Fact]
    public async Task every_response_carries_a_correlation_id_and_echoes_a_sane_one()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add(CorrelationIds.Header, "abc-123");
        var echoed = await app.Anonymous().SendAsync(request, Cancel);
        echoed.Headers.GetValues(CorrelationIds.Header).Single().ShouldBe("abc-123");

        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        hostile.Headers.TryAddWithoutValidation(CorrelationIds.Header, "<script>alert(1)</script>");
        var replaced = await app.Anonymous().SendAsync(hostile, Cancel);
        replaced.Headers.GetValues(CorrelationIds.Header).Single().ShouldNotContain("<");
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_refused_with_415()
    {
        var response = await (await app.AsAdmin()).PostAsync("/api/therapists", new StringContent("<xml/>", System.Text.Encoding.UTF8, "application/xml"), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }
}
