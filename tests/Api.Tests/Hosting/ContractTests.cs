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

    [Fact]
    public async Task every_api_operation_documents_what_it_answers_on_success()
    {
        using var document = JsonDocument.Parse(await app.Anonymous().GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken));
        var undocumented = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var success = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToArray();
                // Wolverine describes an IResult it cannot see into as the IResult interface itself: that says nothing.
                if (!success.Any(r => r.Name == "204" || (r.Value.TryGetProperty("content", out var content) && !content.ToString().Contains("IResult"))))
                {
                    undocumented.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                }
            }
        }

        undocumented.ShouldBeEmpty();
    }
}
