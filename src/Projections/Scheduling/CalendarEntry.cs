using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Scheduling.Reminders;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Scheduling;

/// <summary>One appointment as both calendars show it (the therapist's and the patient's), with its stream version.</summary>
public sealed record CalendarEntry
{
    public Guid Id { get; init; }

    public Guid TherapistId { get; init; }

    public Guid PatientId { get; init; }

    public DateTimeOffset Start { get; init; }

    public DateTimeOffset End { get; init; }

    public AppointmentStatus Status { get; init; }

    public Funding Funding { get; init; }

    public int FeePence { get; init; }

    public DateTimeOffset? HoldExpiresAt { get; init; }

    public Domain.PersonalText? CancellationReason { get; init; }

    public FeeOutcome? FeeOutcome { get; init; }

    public int RefundPence { get; init; }

    public string[] RemindersSent { get; init; } = [];

    public ConsultationMedium Medium { get; init; } = ConsultationMedium.Video;

    public long Version { get; set; }
}

/// <summary>Inline, so that a booking shows in both calendars the moment it is answered.</summary>
public sealed class CalendarProjection : SingleStreamProjection<CalendarEntry, Guid>
{
    public static CalendarEntry Create(AppointmentHeld e) => new()
    {
        Id = e.AppointmentId, TherapistId = e.TherapistId, PatientId = e.PatientId, Start = e.Start, End = e.End,
        Status = AppointmentStatus.Held, Funding = e.Funding, FeePence = e.FeePence, HoldExpiresAt = e.HoldExpiresAt,
    };

    public static CalendarEntry Apply(AppointmentConfirmed e, CalendarEntry c) => c with { Status = AppointmentStatus.Confirmed, HoldExpiresAt = null };

    public static CalendarEntry Apply(HoldExpired e, CalendarEntry c) => c with { Status = AppointmentStatus.HoldExpired };

    public static CalendarEntry Apply(LapsedHoldPaid e, CalendarEntry c) => c with { Status = AppointmentStatus.Confirmed, HoldExpiresAt = null };

    public static CalendarEntry Apply(AppointmentCancelled e, CalendarEntry c) => c with
    {
        Status = AppointmentStatus.Cancelled, CancellationReason = e.Reason, FeeOutcome = e.FeeOutcome, RefundPence = e.RefundPence,
    };

    public static CalendarEntry Apply(AppointmentRescheduled e, CalendarEntry c) => c with { Start = e.NewStart, End = e.NewEnd, RemindersSent = [] };

    public static CalendarEntry Apply(SessionStarted e, CalendarEntry c) => c with { Status = AppointmentStatus.Started };

    public static CalendarEntry Apply(SessionCompleted e, CalendarEntry c) => c with { Status = AppointmentStatus.Completed };

    public static CalendarEntry Apply(PatientDidNotAttend e, CalendarEntry c) => c with { Status = AppointmentStatus.PatientDidNotAttend };

    public static CalendarEntry Apply(ReminderSent e, CalendarEntry c) => c with { RemindersSent = [.. c.RemindersSent, e.Kind] };

    public static CalendarEntry Apply(ConsultationMediumRecorded e, CalendarEntry c) => c with { Medium = e.Medium };
}
