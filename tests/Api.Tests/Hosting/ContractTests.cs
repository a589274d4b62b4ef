using System.Text.Json;

namespace EventSourcedClinic.Api.Tests.Hosting;

/// <summary>
/// The HTTP API's contract is its own records (ADR 0012): the OpenAPI document names no domain event, aggregate or read
/// model, so the domain can change without changing what clients were promised, and a typed client generated from it
/// is complete.
/// </summary>
public class ContractTests(ClinicApp app)
{
    [Fact]
    public async Task the_openapi_document_describes_only_contract_records()
    {
        using var document = JsonDocument.Parse(await app.Anonymous().GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken));
        // The clinic's code lists (funding, questionnaires, consent scopes, ...) are its published language, shared by the
        // domain and the contract; records are not.
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(schema => !schema.Value.TryGetProperty("enum", out _)).Select(schema => schema.Name).ToArray();
        schemas.Length.ShouldBeGreaterThan(20);
        schemas.Where(name => name.StartsWith("Domain.", StringComparison.Ordinal) || name.StartsWith("Projections.", StringComparison.Ordinal))
            .ShouldBeEmpty();
    }
}
