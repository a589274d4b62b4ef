using EventSourcedClinic.Domain.Therapists;

namespace EventSourcedClinic.Api.Therapists;

/// <summary>Request-shape rules shared by the therapist endpoints.</summary>
public static class TherapistRules
{
    public const int MaxNameLength = 120;
    public const int MaxReasonLength = 1_000;

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

    public static IRuleBuilderOptions<T, string> Reason<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(MaxReasonLength);

    public static IRuleBuilderOptions<T, long> StreamVersion<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("'expectedVersion' is the version of the therapist you read (1 or more).");

}

