using EventSourcedClinic.Domain.Compliance;
using JasperFx.Events;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>One event as the audit trail shows it: where it sits, what it says, who caused it and in which request.</summary>
public sealed record AuditTrailEntry(
    long Sequence,
    Guid StreamId,
    string? RecordType,
    long Version,
    string EventType,
    DateTimeOffset Timestamp,
    string? UserId,
    string? Role,
    string? ClientId,
    string? OnBehalfOf,
    string? CorrelationId,
    string? CausationId,
    object Data)
{
    public static AuditTrailEntry From(IEvent e, string? recordType) => new(
        e.Sequence, e.StreamId, recordType, e.Version, e.EventTypeName, e.Timestamp,
        Header(e, AuditStamp.UserId), Header(e, AuditStamp.Role), Header(e, AuditStamp.ClientId), Header(e, AuditStamp.OnBehalfOf),
        e.CorrelationId, e.CausationId, e.Data);

    private static string? Header(IEvent e, string key) => e.Headers?.TryGetValue(key, out var value) == true ? value?.ToString() : null;
}

public sealed record AuditTrailPage(Guid? PatientId, Guid? StreamId, AuditTrailEntry[] Events, int Page, int PageSize, long Total);

public sealed record AuditTrailQuery(Guid? PatientId, Guid? StreamId, int Page, int PageSize)
{
    public const int MaxPageSize = 500;

    public sealed class Validator : AbstractValidator<AuditTrailQuery>
    {
        public static readonly Validator Instance = new();

        private Validator()
        {
            RuleFor(x => x.PatientId).NotNull().When(x => x.StreamId is null).WithMessage("Name a patient ('patientId') or a stream ('streamId').");
            RuleFor(x => x.StreamId).Null().When(x => x.PatientId is not null).WithMessage("Name a patient or a stream, not both.");
            RuleFor(x => x.Page).InclusiveBetween(1, 100_000);
            RuleFor(x => x.PageSize).InclusiveBetween(1, MaxPageSize);
        }
    }
}

/// <summary>
/// For the compliance officer: the ordered history of every event of one patient (all their streams) or of one stream,
/// with actor, time and correlation, in pages. Reading a patient's trail is logged on their access log.
/// </summary>
public static class AuditTrailEndpoint
{
    [WolverineGet("/api/compliance/audit-trail"), Authorize(Roles = ClinicRoles.Compliance)]
    [ProducesResponseType<AuditTrailPage>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        HttpContext http, Guid? patientId, Guid? streamId, int? page, int? pageSize, IQuerySession session, PatientStreamRegistry registry, AccessLog accessLog,
        CancellationToken cancellation)
    {
        var search = new AuditTrailQuery(patientId, streamId, page ?? 1, pageSize ?? 100);
        var invalid = Problems.Validate(search, AuditTrailQuery.Validator.Instance);
        if (invalid.Status >= 400)
        {
            return Results.Problem(invalid);
        }

        var streams = patientId is { } patient
            ? (await registry.FindAsync(session, patient, cancellation)).ToDictionary(s => s.StreamId, s => s.Type)
            : new Dictionary<Guid, string>();
        if (patientId is not null && streams.Count == 0)
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        var ids = streamId is { } one ? [one] : streams.Keys.ToArray();
        var total = await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).CountAsync(cancellation);
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(ids))
            .OrderBy(e => e.Sequence)
            .Skip((search.Page - 1) * search.PageSize).Take(search.PageSize)
            .ToListAsync(cancellation);
        if (streamId is not null && total == 0)
        {
            return Results.Problem(Problems.NotFound("stream"));
        }

        if (patientId is { } logged)
        {
            await accessLog.RecordAsync(http, new PatientRead(logged, AccessPurpose.Administration, null,
                events.Select(e => e.StreamId).Distinct().Select(id => (streams[id], id)).ToArray()), cancellation);
        }

        return Results.Ok(new AuditTrailPage(patientId, streamId,
            events.Select(e => AuditTrailEntry.From(e, streams.GetValueOrDefault(e.StreamId))).ToArray(), search.Page, search.PageSize, total));
    }
}
