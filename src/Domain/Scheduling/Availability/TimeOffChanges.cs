namespace EventSourcedClinic.Domain.Scheduling.Availability;

/// <summary>A therapist blocks whole London dates (holiday, training); booked sessions on them stay booked.</summary>
public sealed record AddTimeOff(long ExpectedVersion, DateOnly From, DateOnly To, string Reason) : IExpectVersion
{
    public static Decision Decide(Availability availability, AddTimeOff command, Guid timeOffId, DateTimeOffset now)
    {
        if (command.To < command.From)
        {
            return Rejection.Unprocessable("time-off-order", "Time off ends before it starts.");
        }

        if (command.To < UkTime.Today(now))
        {
            return Rejection.Unprocessable("time-off-in-past", "Time off wholly in the past changes nothing.");
        }

        if (command.To.DayNumber - command.From.DayNumber > 366)
        {
            return Rejection.Unprocessable("time-off-range", "Time off is at most a year at a time.");
        }

        return Decision.Accept(new TimeOffAdded(availability.TherapistId, timeOffId, command.From, command.To, command.Reason.Trim(), now));
    }
}

public sealed record RemoveTimeOff(long ExpectedVersion, Guid TimeOffId) : IExpectVersion
{
    public static Decision Decide(Availability availability, RemoveTimeOff command, DateTimeOffset now) =>
        availability.TimeOff.Any(t => t.TimeOffId == command.TimeOffId)
            ? Decision.Accept(new TimeOffRemoved(availability.TherapistId, command.TimeOffId, now))
            : Rejection.NotFound("time-off", "No time off with that id.");
}

public sealed record TimeOffAdded(Guid TherapistId, Guid TimeOffId, DateOnly From, DateOnly To, string Reason, DateTimeOffset AddedAt);

public sealed record TimeOffRemoved(Guid TherapistId, Guid TimeOffId, DateTimeOffset RemovedAt);
