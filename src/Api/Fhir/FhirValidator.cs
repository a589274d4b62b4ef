using Firely.Fhir.Validation;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// Firely's validator over the base R4 specification, for inbound resources: built on first use (it reads the
/// specification package) and shared. Only the base profile of the resource's type is checked, because profiles such
/// as UK Core are not in the package.
/// </summary>
public static class FhirValidator
{
    private static readonly Lazy<Validator> Instance = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        var settings = new ValidationSettings { SelectValidationProfiles = (_, _, _, _) => [] };
        return new Validator(source.AsAsync(), new LocalTerminologyService(source.AsAsync()), null, settings);
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The errors the validator finds, as the issues of an OperationOutcome (empty when the resource is valid).</summary>
    public static IReadOnlyList<R4.OperationOutcome.IssueComponent> Errors(R4.Resource resource) =>
        Instance.Value.Validate(resource, $"http://hl7.org/fhir/StructureDefinition/{resource.TypeName}").Issue
            .Where(i => i.Severity is R4.OperationOutcome.IssueSeverity.Error or R4.OperationOutcome.IssueSeverity.Fatal)
            .ToList();
}
