using EventSourcedClinic.Domain.Scheduling.Booking;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>Checks shared by the endpoints that act on an existing appointment.</summary>
public static class AppointmentCommands
{
    /// <summary>Someone else's appointment is not found, whoever asks; then the usual order: existence, version, decision.</summary>
    public static Task<Written<Appointment>> ChangeAsync(
        IDocumentSession session, Guid appointmentId, long expectedVersion, Actor actor, Func<Appointment, Decision> decide, CancellationToken cancellation) =>
        session.ChangeAsync(appointmentId, "appointment", expectedVersion, decide, cancellation, guard: Hide(actor));

    /// <summary>The same, for a decision that needs the therapist's terms and hours as they are now.</summary>
    public static Task<Written<Appointment>> ChangeAsync(
        IDocumentSession session, Guid appointmentId, long expectedVersion, Actor actor,
        Func<Appointment, (TherapistTerms? Terms, AvailabilityRules? Availability), Decision> decide, CancellationToken cancellation) =>
        session.ChangeAsync<Appointment, (TherapistTerms?, AvailabilityRules?)>(appointmentId, "appointment", expectedVersion,
            a => BookingContext.LoadAsync(session, a.TherapistId, cancellation), decide, cancellation, guard: Hide(actor));

    private static Func<Appointment, ProblemDetails?> Hide(Actor actor) =>
        a => actor.MaySee(a.TherapistId, a.PatientId) ? null : Problems.NotFound("appointment");

    public static IRuleBuilderOptions<T, long> ExpectedVersion<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("'expectedVersion' is the version of the appointment you read (1 or more).");
}
