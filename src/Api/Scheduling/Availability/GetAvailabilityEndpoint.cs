using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Availability;

/// <summary>A therapist's published booking rules and the stream version to send with a change. Public, like the directory.</summary>
public static class GetAvailabilityEndpoint
{
    [WolverineGet("/api/directory/therapists/{therapistId}/availability"), AllowAnonymous]
    [ProducesResponseType<PublishedAvailability>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid therapistId, IQuerySession session, CancellationToken cancellation)
    {
        var id = AvailabilityRules.StreamId(therapistId);
        var rules = await session.LoadAsync<AvailabilityRules>(id, cancellation);
        if (rules is null)
        {
            return Results.Problem(Problems.NotFound("availability"));
        }

        var state = await session.Events.FetchStreamStateAsync(id, cancellation);
        return Results.Ok(new PublishedAvailability(AvailabilityView.From(rules), state?.Version ?? 0));
    }

    public sealed record PublishedAvailability(AvailabilityView Rules, long Version);
}
