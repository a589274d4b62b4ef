using EventSourcedClinic.Domain.Therapists;
using FluentValidation;

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

    public static void ForCodes<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IEnumerable<string>>> member,
        IReadOnlyDictionary<string, string> catalogue, string what, int max)
    {
        validator.RuleFor(member).NotNull().Must(codes => codes is null || codes.Count() <= max)
            .WithMessage($"At most {max} {what} codes.");
        validator.RuleForEach(member).KnownCodes(catalogue, what);
    }

    public static IRuleBuilderOptions<T, string> Reason<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(MaxReasonLength);

    public static IRuleBuilderOptions<T, long> StreamVersion<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("'version' is the version of the therapist you read (1 or more).");

}

