namespace EventSourcedClinic.Domain.Scheduling.Booking;

/// <summary>The therapist opens the session, from 15 minutes before its start.</summary>
public sealed record StartSession(long ExpectedVersion) : IExpectVersion
{
    public static readonly TimeSpan EarlyStart = TimeSpan.FromMinutes(15);

    public static Decision Decide(Appointment appointment, StartSession command, DateTimeOffset now)
    {
        if (appointment.Status != AppointmentStatus.Confirmed)
        {
            return Rejection.Conflict("not-confirmed", $"Only a confirmed appointment can start; this one is {appointment.Status}.");
        }

        return now < appointment.Start - EarlyStart
            ? Rejection.Unprocessable("too-early", "A session opens 15 minutes before it starts.")
            : Decision.Accept(new SessionStarted(appointment.Id, now));
    }
}

/// <summary>The therapist closes a session that took place.</summary>
public sealed record CompleteSession(long ExpectedVersion) : IExpectVersion
{
    public static Decision Decide(Appointment appointment, CompleteSession command, DateTimeOffset now) =>
        appointment.Status == AppointmentStatus.Started
            ? Decision.Accept(new SessionCompleted(appointment.Id, now))
            : Rejection.Conflict("not-started", $"Only a started session can be completed; this one is {appointment.Status}.");
}

/// <summary>The therapist records that the patient did not come, once the start time has passed.</summary>
public sealed record RecordNonAttendance(long ExpectedVersion) : IExpectVersion
{
    public static Decision Decide(Appointment appointment, RecordNonAttendance command, DateTimeOffset now)
    {
        if (appointment.Status != AppointmentStatus.Confirmed)
        {
            return Rejection.Conflict("not-confirmed", $"Only a confirmed appointment can be a non-attendance; this one is {appointment.Status}.");
        }

        return now < appointment.Start
            ? Rejection.Unprocessable("not-yet", "Non-attendance is recorded after the start time.")
            : Decision.Accept(new PatientDidNotAttend(appointment.Id, now));
    }
}

public sealed record SessionStarted(Guid AppointmentId, DateTimeOffset StartedAt);

public sealed record SessionCompleted(Guid AppointmentId, DateTimeOffset CompletedAt);

public sealed record PatientDidNotAttend(Guid AppointmentId, DateTimeOffset RecordedAt);
