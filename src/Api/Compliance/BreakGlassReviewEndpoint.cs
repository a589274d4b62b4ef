using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Projections.Compliance;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>Break-glass reads for the compliance officer's review, newest first.</summary>
public static class BreakGlassReviewEndpoint
{
    [WolverineGet("/api/compliance/break-glass"), Authorize(Roles = ClinicRoles.Compliance)]
    public static async Task<BreakGlassReview> Get(int? limit, IQuerySession session, CancellationToken cancellation)
    {
        var accesses = await session.Query<AccessLogEntry>()
            .Where(a => a.Access.Purpose == AccessPurpose.BreakGlass)
            .OrderByDescending(e => e.Access.AccessedAt).Take(Math.Clamp(limit ?? 100, 1, 1_000)).ToListAsync(cancellation);
        return new BreakGlassReview(accesses.Select(a => AccessView.From(a.Access)).ToArray());
    }
}

public sealed record BreakGlassReview(AccessView[] Accesses);
