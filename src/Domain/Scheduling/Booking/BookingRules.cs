using EventSourcedClinic.Domain.Scheduling.Availability;

namespace EventSourcedClinic.Domain.Scheduling.Booking;

/// <summary>What the clinic knows about the therapist when a time is asked for.</summary>
public sealed record TherapistTerms(Guid TherapistId, bool IsBookable, int FeePence, int SessionMinutes);

/// <summary>The rules every new time must pass, for a first booking and for a move alike.</summary>
public static class BookingRules
{
    public static Rejection? Check(TherapistTerms therapist, Availability.Availability? availability, DateTimeOffset start, DateTimeOffset now)
    {
        if (!therapist.IsBookable)
        {
            return Rejection.Unprocessable("therapist-not-bookable", "This therapist is not taking bookings (not verified, suspended, or without a fee).");
        }

        if (availability is null || availability.Hours.Length == 0)
        {
            return Rejection.Unprocessable("no-availability", "This therapist has not published working hours.");
        }

        if (start <= now)
        {
            return Rejection.Unprocessable("slot-in-past", "That time has passed.");
        }

        var (earliest, latest) = SlotGrid.BookingWindow(availability, now);
        if (start < earliest)
        {
            return Rejection.Unprocessable("minimum-notice", $"Bookings need {availability.MinimumNoticeHours} hours' notice.");
        }

        if (start >= latest)
        {
            return Rejection.Unprocessable("beyond-horizon", $"Bookings open {availability.HorizonWeeks} weeks ahead.");
        }

        if (availability.IsOff(UkTime.Today(start)))
        {
            return Rejection.Unprocessable("therapist-time-off", "The therapist is away that day.");
        }

        return SlotGrid.IsOnGrid(availability, therapist.SessionMinutes, start)
            ? null
            : Rejection.Unprocessable("outside-availability", "That time is not one of the therapist's session times.");
    }
}
