namespace EventSourcedClinic.Api.Therapists;

/// <summary>Request-shape rules shared by the therapist endpoints.</summary>
public static class TherapistRules
{
    public const int MaxNameLength = 120;
    public const int MaxReasonLength = 1_000;

    public static IRuleBuilderOptions<T, string> Reason<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(MaxReasonLength);

    public static IRuleBuilderOptions<T, long> StreamVersion<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("'expectedVersion' is the version of the therapist you read (1 or more).");

}

