using Microsoft.AspNetCore.Diagnostics;

namespace EventSourcedClinic.Api.Hosting;

/// <summary>
/// The last line: failures that reach the host become ProblemDetails (or an OperationOutcome on /fhir), as the
/// <see cref="ProblemClassifier"/> names them. Expected outcomes are logged as information, without a stack trace.
/// </summary>
public sealed class ClinicExceptionHandler(IProblemDetailsService problems, ProblemClassifier classifier, ILogger<ClinicExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = classifier.Classify(exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled failure on {Method} {Path}", http.Request.Method, http.Request.Path);
        }
        else
        {
            logger.LogInformation("{Method} {Path} answered {Status}: {Reason}", http.Request.Method, http.Request.Path, problem.Status, exception.Message);
        }

        http.Response.StatusCode = problem.Status ?? 500;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = "5";
        }

        if (http.Request.Path.StartsWithSegments("/fhir"))
        {
            // The FHIR edge answers every error as an OperationOutcome.
            http.Response.ContentType = Fhir.FhirResponses.ContentType;
            await http.Response.WriteAsync(Fhir.FhirResponses.Serialize(Fhir.FhirResponses.OperationOutcome(
                problem.Status >= 500 ? Hl7.Fhir.Model.OperationOutcome.IssueType.Exception : Hl7.Fhir.Model.OperationOutcome.IssueType.Invalid,
                problem.Detail ?? problem.Title ?? "The request failed.")), cancellationToken);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }
}
