using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain.Scheduling.Availability;

namespace EventSourcedClinic.Api.Scheduling.Slots;

/// <summary>One listed therapist's free slots between two London dates (default: the coming week). Public.</summary>
public static class TherapistSlotsEndpoint
{
    [WolverineGet("/api/directory/therapists/{therapistId}/slots"), AllowAnonymous]
    [ProducesResponseType<TherapistSlots>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        Guid therapistId, DateOnly? from, DateOnly? to, IQuerySession session, FreeSlots freeSlots, TimeProvider time, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var range = FreeSlots.Range(from, to, now);
        if (SlotSearchRules.CheckRange(range, now) is { } invalid)
        {
            return Results.Problem(invalid);
        }

        var (terms, availability) = await BookingContext.LoadAsync(session, therapistId, cancellation);
        if (terms is not { IsBookable: true })
        {
            return Results.Problem(Problems.NotFound("listed therapist"));
        }

        if (availability is null)
        {
            return Results.Ok(new TherapistSlots(therapistId, terms.SessionMinutes, terms.FeePence, []));
        }

        var slots = await freeSlots.ForAsync([(availability, terms.SessionMinutes)], range.From, range.To, now, cancellation);
        return Results.Ok(new TherapistSlots(therapistId, terms.SessionMinutes, terms.FeePence, slots[therapistId].Select(s => new SlotView(s.Start, s.End)).ToArray()));
    }

    public sealed record TherapistSlots(Guid TherapistId, int SessionMinutes, int FeePence, SlotView[] Slots);
}
