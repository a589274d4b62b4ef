using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Scheduling;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace EventSourcedClinic.Api.Clinical;

/// <summary>
/// Who may read and write a patient's clinical data: the patient, and therapists in their care team, that is, sharing a
/// live or past appointment with them. Anyone else asking about another patient is told it does not exist; a therapist
/// outside the care team is refused and the attempt is logged (the access log of issue 5 will record it as an event).
/// </summary>
public sealed class ClinicalAccess(ILogger<ClinicalAccess> logger)
{
    private static readonly AppointmentStatus[] NoCare = [AppointmentStatus.HoldExpired, AppointmentStatus.Cancelled];

    public async Task<ProblemDetails?> CheckAsync(Actor actor, Guid patientId, IQuerySession session, CancellationToken cancellation)
    {
        if (actor.Is(ClinicRoles.Patient))
        {
            return actor.UserId == patientId ? null : Problems.NotFound("patient");
        }

        if (actor.Is(ClinicRoles.Therapist) && actor.UserId is { } therapistId)
        {
            if (await InCareAsync(session, therapistId, patientId, cancellation))
            {
                return null;
            }

            logger.LogWarning("Refused clinical access: therapist {TherapistId} to patient {PatientId}, outside their care team", therapistId, patientId);
            return Problems.Forbidden("This patient is not in your care.");
        }

        return Problems.Forbidden("Clinical records are for the patient and their care team.");
    }

    public static Task<bool> InCareAsync(IQuerySession session, Guid therapistId, Guid patientId, CancellationToken cancellation) =>
        session.Query<CalendarEntry>().AnyAsync(e => e.TherapistId == therapistId && e.PatientId == patientId && !NoCare.Contains(e.Status), cancellation);
}
