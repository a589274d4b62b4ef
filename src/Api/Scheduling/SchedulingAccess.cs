using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling;

/// <summary>Who may see and act on an appointment: its patient, its therapist, and the clinic's admins.</summary>
public static class SchedulingAccess
{
    public static bool MaySee(this Actor actor, Guid therapistId, Guid patientId) =>
        actor.Is(ClinicRoles.Admin)
        || (actor.Is(ClinicRoles.Therapist) && actor.UserId == therapistId)
        || (actor.Is(ClinicRoles.Patient) && actor.UserId == patientId);

    public static CancelledBy Party(this Actor actor) =>
        actor.Is(ClinicRoles.Patient) ? CancelledBy.Patient : actor.Is(ClinicRoles.Therapist) ? CancelledBy.Therapist : CancelledBy.Clinic;
}
