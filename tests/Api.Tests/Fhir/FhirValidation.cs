using Firely.Fhir.Validation;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using R4 = Hl7.Fhir.Model;

namespace EventSourcedClinic.Api.Tests.Fhir;

/// <summary>
/// Firely's validator over the base R4 specification (the specification.zip of Hl7.Fhir.Specification.Data.R4).
/// Profiles outside the base specification (UK Core, IHE BALP) are not in the package, so only base R4 is checked.
/// </summary>
public static class FhirValidation
{
    private static readonly Lazy<Validator> Instance = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        var settings = new ValidationSettings
        {
            SelectValidationProfiles = (_, profiles, _, _) => profiles.Where(p => p.ToString().StartsWith("http://hl7.org/fhir/", StringComparison.Ordinal)).ToArray(),
        };
        return new Validator(source.AsAsync(), new LocalTerminologyService(source.AsAsync()), null, settings);
    });

    /// <summary>The errors (and fatal issues) Firely's validator finds in a resource, as text.</summary>
    public static string[] Errors(R4.Resource resource)
    {
        var outcome = Instance.Value.Validate(resource, $"http://hl7.org/fhir/StructureDefinition/{resource.TypeName}");
        return outcome.Issue
            .Where(i => i.Severity is R4.OperationOutcome.IssueSeverity.Error or R4.OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{resource.TypeName}: {i.Details?.Text ?? i.Diagnostics} at {string.Join(",", i.Expression)}")
            .ToArray();
    }
}
