using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Projections.Compliance;
using Marten.Linq;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>
/// Who read a patient's data. A patient lists the accesses to their own record; a compliance officer queries every
/// access by accessor, patient, purpose and time. Reading the access log is not itself logged (ADR 0009).
/// </summary>
public static class AccessLogEndpoints
{
    [WolverineGet("/api/patients/{patientId}/access-log"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Compliance}")]
    [ProducesResponseType<AccessLogPage>(StatusCodes.Status200OK)]
    public static Task<IResult> GetForPatient(
        HttpContext http, Guid patientId, DateTimeOffset? from, DateTimeOffset? to, string? purpose, int? page, int? pageSize,
        IQuerySession session, CancellationToken cancellation)
    {
        var actor = Actor.From(http.User);
        return actor.Is(ClinicRoles.Patient) && actor.UserId != patientId
            ? Task.FromResult(Results.Problem(Problems.NotFound("patient")))
            : QueryAsync(new AccessLogQuery(patientId, null, from, to, purpose, page ?? 1, pageSize ?? 50), session, cancellation);
    }

    [WolverineGet("/api/compliance/access-log"), Authorize(Roles = ClinicRoles.Compliance)]
    [ProducesResponseType<AccessLogPage>(StatusCodes.Status200OK)]
    public static Task<IResult> Query(
        Guid? patientId, string? accessorId, DateTimeOffset? from, DateTimeOffset? to, string? purpose, int? page, int? pageSize,
        IQuerySession session, CancellationToken cancellation) =>
        QueryAsync(new AccessLogQuery(patientId, accessorId, from, to, purpose, page ?? 1, pageSize ?? 50), session, cancellation);

    private static async Task<IResult> QueryAsync(AccessLogQuery search, IQuerySession session, CancellationToken cancellation)
    {
        var invalid = Problems.Validate(search, AccessLogQuery.Validator.Instance);
        if (invalid.Status >= 400)
        {
            return Results.Problem(invalid);
        }

        IQueryable<AccessLogEntry> query = session.Query<AccessLogEntry>();
        if (search.PatientId is { } patientId)
        {
            query = query.Where(a => a.Access.PatientId == patientId);
        }

        if (search.AccessorId is { Length: > 0 } accessorId)
        {
            query = query.Where(a => a.Access.AccessorId == accessorId);
        }

        if (search.From is { } from)
        {
            var since = from.ToUniversalTime();
            query = query.Where(a => a.Access.AccessedAt >= since);
        }

        if (search.To is { } to)
        {
            var until = to.ToUniversalTime();
            query = query.Where(a => a.Access.AccessedAt < until);
        }

        if (search.ParsedPurpose is { } wanted)
        {
            query = query.Where(a => a.Access.Purpose == wanted);
        }

        var accesses = await query.OrderByDescending(a => a.Access.AccessedAt).ThenByDescending(a => a.Id)
            .Stats(out var stats)
            .Skip((search.Page - 1) * search.PageSize).Take(search.PageSize)
            .ToListAsync(cancellation);
        return Results.Ok(new AccessLogPage(accesses.Select(a => AccessView.From(a.Access)).ToArray(), search.Page, search.PageSize, stats.TotalResults));
    }
}

public sealed record AccessLogQuery(
    Guid? PatientId, string? AccessorId, DateTimeOffset? From, DateTimeOffset? To, string? Purpose, int Page, int PageSize)
{
    public const int MaxPageSize = 500;

    /// <summary>The purpose by name only (not a number, not a list of flags), or null.</summary>
    public AccessPurpose? ParsedPurpose =>
        Purpose is { } text && !text.Contains(',') && !int.TryParse(text, out _) && Enum.TryParse<AccessPurpose>(text, ignoreCase: true, out var parsed)
            ? parsed
            : null;

    public sealed class Validator : AbstractValidator<AccessLogQuery>
    {
        public static readonly Validator Instance = new();

        private Validator()
        {
            RuleFor(x => x.Page).InclusiveBetween(1, 100_000);
            RuleFor(x => x.PageSize).InclusiveBetween(1, MaxPageSize);
            RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x.From is not null && x.To is not null)
                .WithMessage("'to' must be after 'from'.");
            RuleFor(x => x).Must(x => x.Purpose is null || x.ParsedPurpose is not null).OverridePropertyName(nameof(Purpose))
                .WithMessage($"'purpose' must be one of: {string.Join(", ", Enum.GetNames<AccessPurpose>())}.");
        }
    }
}

public sealed record AccessLogPage(AccessView[] Accesses, int Page, int PageSize, long Total);
