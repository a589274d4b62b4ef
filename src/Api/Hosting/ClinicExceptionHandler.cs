using System.Text.Json;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EventSourcedClinic.Api.Hosting;

/// <summary>
/// The last line: failures that reach the host become ProblemDetails. A concurrent write or a unique index hit is a
/// 409, an unreadable body a 400; anything else is a 500 that says nothing about the internals.
/// </summary>
public sealed class ClinicExceptionHandler(IProblemDetailsService problems, ILogger<ClinicExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Classify(exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled failure on {Method} {Path}", http.Request.Method, http.Request.Path);
        }
        else
        {
            logger.LogInformation("{Method} {Path} answered {Status}: {Reason}", http.Request.Method, http.Request.Path, problem.Status, exception.Message);
        }

        http.Response.StatusCode = problem.Status ?? 500;
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

    public static ProblemDetails Classify(Exception exception)
    {
        foreach (var e in Unwrap(exception))
        {
            switch (e)
            {
                case ConcurrencyException:
                    return Problems.Conflict("stale-version",
                        "The record changed since you read it; read it again and retry with its current version.");
                case PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation } clash:
                    return clash.ConstraintName == Projections.Scheduling.SlotClaims.PatientConstraint
                        ? Problems.Conflict("patient-double-booked", "You already have an appointment at an overlapping time.")
                        : Problems.Conflict("slot-taken", "That time has just been taken; choose another.");
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }:
                case DocumentAlreadyExistsException:
                case Marten.Exceptions.ExistingStreamIdCollisionException:
                case JasperFx.Events.ExistingStreamIdCollisionException:
                    return Problems.Conflict("already-exists", "A record with the same unique values already exists.");
                case PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }:
                case Marten.Exceptions.StreamLockedException:
                case JasperFx.Events.StreamLockedException:
                    return Problems.Conflict("concurrent-write", "Another write to the same record got in the way; retry.");
                case PersonalData.PersonalDataErasedException:
                    return Problems.Conflict("patient-erased", "This patient's personal data was erased; nothing new is recorded for them.");
                case BadHttpRequestException bad:
                    return new ProblemDetails
                    {
                        Status = bad.StatusCode, Type = Problems.TypeBase + "bad-request", Title = "The request could not be read", Detail = bad.Message,
                    };
                case JsonException json:
                    return new ProblemDetails
                    {
                        Status = 400, Type = Problems.TypeBase + "invalid-json", Title = "Invalid JSON", Detail = json.Message,
                    };
            }
        }

        return new ProblemDetails
        {
            Status = 500, Type = Problems.TypeBase + "internal", Title = "Something went wrong on our side",
            Detail = "The failure is logged with this request's correlation id.",
        };
    }

    private static IEnumerable<Exception> Unwrap(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Unwrap))
                {
                    yield return inner;
                }
            }
        }
    }
}
