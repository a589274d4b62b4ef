namespace EventSourcedClinic.Domain.Scheduling.Booking;

/// <summary>How a session was held; the NHS Talking Therapies data set reports it as the care contact's consultation medium.</summary>
public enum ConsultationMedium
{
    Video,
    Telephone,
    InPerson,
}

/// <summary>
/// The therapist records how a session that took place was held (video unless they say otherwise), or corrects it; the
/// same medium again changes nothing.
/// </summary>
public sealed record RecordConsultationMedium(long ExpectedVersion, ConsultationMedium Medium) : IExpectVersion
{
    public static Decision Decide(Appointment appointment, RecordConsultationMedium command, DateTimeOffset now)
    {
        if (appointment.Status is not (AppointmentStatus.Started or AppointmentStatus.Completed))
        {
            return Rejection.Conflict("not-held", $"The medium is recorded for a session that took place; this one is {appointment.Status}.");
        }

        return appointment.Medium == command.Medium
            ? Decision.Accept()
            : Decision.Accept(new ConsultationMediumRecorded(appointment.Id, command.Medium, now));
    }
}

public sealed record ConsultationMediumRecorded(Guid AppointmentId, ConsultationMedium Medium, DateTimeOffset RecordedAt);
