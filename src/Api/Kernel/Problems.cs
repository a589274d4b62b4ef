
namespace EventSourcedClinic.Api.Kernel;

/// <summary>Turns refused commands and invalid requests into ProblemDetails with the right status.</summary>
public static class Problems
{
    public const string TypeBase = "https://eventsourcedclinic.example/problems/";

    public static ProblemDetails From(Rejection rejection) => new()
    {
        Status = rejection.Kind switch
        {
            RejectionKind.NotFound => StatusCodes.Status404NotFound,
            RejectionKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        },
        Type = TypeBase + rejection.Rule,
        Title = rejection.Kind switch
        {
            RejectionKind.NotFound => "Not found",
            RejectionKind.Conflict => "Conflict with the current state",
            _ => "The request breaks a rule of the clinic",
        },
        Detail = rejection.Detail,
        Extensions = { ["rule"] = rejection.Rule },
    };

    /// <summary>For a Wolverine Validate method: stop with the rejection, or carry on.</summary>
    public static ProblemDetails Of(Decision decision) =>
        decision.Rejection is { } rejection ? From(rejection) : WolverineContinue.NoProblems;

    /// <summary>Checks a request's shape: 400 naming every field at fault, or carry on.</summary>
    public static ProblemDetails Validate<T>(T? request, IValidator<T> validator)
    {
        if (request is null)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest, Type = TypeBase + "body-required", Title = "The request is not valid",
                Detail = "This request needs a JSON object body.",
            };
        }

        var result = validator.Validate(request);
        if (result.IsValid)
        {
            return WolverineContinue.NoProblems;
        }

        var errors = result.Errors
            .GroupBy(e => JsonName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = TypeBase + "invalid-request",
            Title = "The request is not valid",
            Detail = "Fix the fields named in 'errors': " + string.Join(", ", errors.Keys) + ".",
        };
    }

    public static ProblemDetails NotFound(string what) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Type = TypeBase + "not-found",
        Title = "Not found",
        Detail = $"No {what} with that id.",
    };

    public static ProblemDetails Conflict(string rule, string detail) => From(Rejection.Conflict(rule, detail));

    public static ProblemDetails StaleVersion(string what, long current, long expected) => Conflict("stale-version",
        $"The {what} is at version {current}, not {expected}; read it again and retry with its current version.");

    /// <summary>A query's parameters that do not fit together (a period that ends before it starts).</summary>
    public static ProblemDetails BadQuery(string detail) => new()
    {
        Status = StatusCodes.Status400BadRequest, Type = TypeBase + "invalid-request", Title = "The request is not valid", Detail = detail,
    };

    public static ProblemDetails Forbidden(string detail) => new()
    {
        Status = StatusCodes.Status403Forbidden, Type = TypeBase + "forbidden", Title = "Forbidden", Detail = detail,
    };

    // FluentValidation names properties as in C# ("FeePence", "Languages[2]"); clients send camelCase JSON.
    private static string JsonName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
