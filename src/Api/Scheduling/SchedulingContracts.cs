using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Scheduling;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling;

// Appointments and published hours as the HTTP API shows them (ADR 0012), mapped from the read models at the edge.

public sealed record AppointmentView(
    Guid Id, Guid TherapistId, Guid PatientId, DateTimeOffset Start, DateTimeOffset End, AppointmentStatus Status, Funding Funding, int FeePence,
    DateTimeOffset? HoldExpiresAt, string? CancellationReason, FeeOutcome? FeeOutcome, int RefundPence, string[] RemindersSent, ConsultationMedium Medium,
    long Version)
{
    public static AppointmentView From(CalendarEntry e) => new(
        e.Id, e.TherapistId, e.PatientId, e.Start, e.End, e.Status, e.Funding, e.FeePence, e.HoldExpiresAt, e.CancellationReason?.Value,
        e.FeeOutcome, e.RefundPence, e.RemindersSent, e.Medium, e.Version);
}

public sealed record AvailabilityView(
    Guid TherapistId, Availability.WeeklyIntervalBody[] Hours, int BufferMinutes, int MinimumNoticeHours, int HorizonWeeks, TimeOffView[] TimeOff)
{
    public static AvailabilityView From(AvailabilityRules rules) => new(
        rules.TherapistId, rules.Hours.Select(h => new Availability.WeeklyIntervalBody(h.Day, h.Start, h.End)).ToArray(), rules.BufferMinutes,
        rules.MinimumNoticeHours, rules.HorizonWeeks, rules.TimeOff.Select(t => new TimeOffView(t.TimeOffId, t.From, t.To, t.Reason)).ToArray());
}

public sealed record TimeOffView(Guid TimeOffId, DateOnly From, DateOnly To, string Reason);

/// <summary>A free time, start and end (ISO 8601 with the offset).</summary>
public sealed record SlotView(DateTimeOffset Start, DateTimeOffset End);
