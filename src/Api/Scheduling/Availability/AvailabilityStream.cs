using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Availability;

/// <summary>
/// The write path the availability endpoints share: fetch the therapist's Availability stream for writing, check the
/// version the caller read, decide, append. Marten checks the version again at commit.
/// </summary>
public static class AvailabilityStream
{
    public static async Task<IResult> ChangeAsync(
        IDocumentSession session, Guid therapistId, long expectedVersion, bool mustExist, Func<AvailabilityRules?, Decision> decide,
        Func<long, object> answer, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<AvailabilityRules>(AvailabilityRules.StreamId(therapistId), cancellation);
        if (mustExist && stream.Aggregate is null)
        {
            return Results.Problem(Problems.NotFound("availability"));
        }

        var version = stream.CurrentVersion ?? 0;
        if (expectedVersion != version)
        {
            return Results.Problem(Problems.StaleVersion("availability", version, expectedVersion));
        }

        var decision = decide(stream.Aggregate);
        if (decision.Rejection is { } rejection)
        {
            return Results.Problem(Problems.From(rejection));
        }

        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(answer(version + decision.Events.Count));
    }
}
