using System.Text.Json;
using JasperFx;
using Npgsql;

namespace EventSourcedClinic.Api.Kernel;

/// <summary>
/// Turns a failure into the problem a client is shown. Each area names its own expected outcomes first (a taken slot, an
/// erased patient); then the store's: a concurrent write or a unique index hit is a 409, an unreadable body a 400;
/// anything else is a 500 that says nothing about the internals.
/// </summary>
public sealed class ProblemClassifier(IEnumerable<ClinicArea> areas)
{
    private readonly ClinicArea[] _areas = areas.ToArray();

    public ProblemDetails Classify(Exception exception)
    {
        foreach (var e in Unwrap(exception))
        {
            foreach (var area in _areas)
            {
                if (area.Classify(e) is { } problem)
                {
                    return problem;
                }
            }

            if (OfStore(e) is { } store)
            {
                return store;
            }
        }

        return new ProblemDetails
        {
            Status = 500, Type = Problems.TypeBase + "internal", Title = "Something went wrong on our side",
            Detail = "The failure is logged with this request's correlation id.",
        };
    }

    /// <summary>Whether the failure is a conflict a client may resolve by reading again and retrying.</summary>
    public bool IsConflict(Exception exception) => Classify(exception).Status == StatusCodes.Status409Conflict;

    private static ProblemDetails? OfStore(Exception e) => e switch
    {
        ConcurrencyException => Problems.Conflict("stale-version",
            "The record changed since you read it; read it again and retry with its current version."),
        PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation } => Problems.Conflict("overlap",
            "The change overlaps something already recorded; choose another."),
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or DocumentAlreadyExistsException
            or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException =>
            Problems.Conflict("already-exists", "A record with the same unique values already exists."),
        PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }
            or Marten.Exceptions.StreamLockedException or JasperFx.Events.StreamLockedException =>
            Problems.Conflict("concurrent-write", "Another write to the same record got in the way; retry."),
        // The database answered too slowly or went away for a moment: nothing was written, and a retry may succeed.
        TimeoutException or NpgsqlException { IsTransient: true } => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Type = Problems.TypeBase + "busy", Title = "The clinic is busy for a moment",
            Detail = "Nothing was changed; try again shortly.",
        },
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode, Type = Problems.TypeBase + "bad-request", Title = "The request could not be read", Detail = bad.Message,
        },
        JsonException json => new ProblemDetails { Status = 400, Type = Problems.TypeBase + "invalid-json", Title = "Invalid JSON", Detail = json.Message },
        // A form or multipart body that cannot be read (no boundary, too many or too long values).
        InvalidDataException form => new ProblemDetails
        {
            Status = 400, Type = Problems.TypeBase + "invalid-form", Title = "The form could not be read", Detail = form.Message,
        },
        _ => null,
    };

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
