namespace EventSourcedClinic.Api.Kernel;

/// <summary>Request-shape rules for codes from one of the clinic's catalogues (languages, therapy methods, specialisations).</summary>
public static class CodeRules
{
    public static IRuleBuilderOptions<T, string> KnownCodes<T>(this IRuleBuilder<T, string> rule, IReadOnlyDictionary<string, string> catalogue, string what) =>
        rule.NotEmpty()
            .Must(code => catalogue.ContainsKey(code.Trim().ToLowerInvariant()))
            .WithMessage((_, code) => $"'{code}' is not a known {what} code.");

    public static IRuleBuilderOptions<T, string[]> KnownCodes<T>(
        this IRuleBuilder<T, string[]> rule, IReadOnlyDictionary<string, string> catalogue, string what, int max) =>
        rule.NotNull()
            .Must(codes => codes is null || codes.Length <= max).WithMessage($"At most {max} {what} codes.")
            .Must(codes => codes is null || codes.All(code => code is not null && catalogue.ContainsKey(code.Trim().ToLowerInvariant())))
            .WithMessage((_, codes) =>
                $"Unknown {what} codes: {string.Join(", ", codes.Where(c => c is null || !catalogue.ContainsKey(c.Trim().ToLowerInvariant())).Select(c => $"'{c}'"))}.");
}
