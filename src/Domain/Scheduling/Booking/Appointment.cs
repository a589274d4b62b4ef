namespace EventSourcedClinic.Domain.Scheduling.Booking;

public enum AppointmentStatus
{
    Held,
    Confirmed,
    Started,
    Completed,
    PatientDidNotAttend,
    Cancelled,
    HoldExpired,
}

/// <summary>Who pays: the patient (confirmed by payment), the NHS, or nobody (a free session). The last two confirm at once.</summary>
public enum Funding
{
    SelfPay,
    Nhs,
    Free,
}

/// <summary>What a cancellation means for billing, recorded on the event for the payment flow.</summary>
public enum FeeOutcome
{
    NothingCharged,
    FullRefund,
    FeeForfeited,
}

/// <summary>An appointment as its stream tells it.</summary>
public sealed record Appointment(
    Guid Id,
    Guid TherapistId,
    Guid PatientId,
    DateTimeOffset Start,
    DateTimeOffset End,
    int FeePence,
    Funding Funding,
    AppointmentStatus Status,
    DateTimeOffset HoldExpiresAt,
    string[] RemindersSent)
{
    /// <summary>How the session was held: by video, the clinic's way, unless the therapist recorded otherwise.</summary>
    public ConsultationMedium Medium { get; init; } = ConsultationMedium.Video;

    /// <summary>Statuses of an appointment that never took place and no longer binds anyone: lapsed or cancelled.</summary>
    public static readonly AppointmentStatus[] Gone = [AppointmentStatus.HoldExpired, AppointmentStatus.Cancelled];

    /// <summary>Held or confirmed: the time is taken.</summary>
    public bool HoldsTheSlot => Status is AppointmentStatus.Held or AppointmentStatus.Confirmed;

    public static Appointment From(AppointmentHeld e) =>
        new(e.AppointmentId, e.TherapistId, e.PatientId, e.Start, e.End, e.FeePence, e.Funding, AppointmentStatus.Held, e.HoldExpiresAt, []);

    public Appointment When(AppointmentConfirmed e) => this with { Status = AppointmentStatus.Confirmed };

    public Appointment When(HoldExpired e) => this with { Status = AppointmentStatus.HoldExpired };

    public Appointment When(LapsedHoldPaid e) => this with { Status = AppointmentStatus.Confirmed };

    public Appointment When(AppointmentCancelled e) => this with { Status = AppointmentStatus.Cancelled };

    public Appointment When(AppointmentRescheduled e) => this with { Start = e.NewStart, End = e.NewEnd, RemindersSent = [] };

    public Appointment When(Reminders.ReminderSent e) => this with { RemindersSent = [.. RemindersSent, e.Kind] };

    public Appointment When(SessionStarted e) => this with { Status = AppointmentStatus.Started };

    public Appointment When(SessionCompleted e) => this with { Status = AppointmentStatus.Completed };

    public Appointment When(PatientDidNotAttend e) => this with { Status = AppointmentStatus.PatientDidNotAttend };

    public Appointment When(ConsultationMediumRecorded e) => this with { Medium = e.Medium };
}
