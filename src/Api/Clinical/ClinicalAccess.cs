using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Compliance;
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
public sealed class ClinicalAccess(ILogger<ClinicalAccess> logger, IDocumentStore store, TimeProvider time)
{
    /// <summary>The header in which a clinician outside the care team states why they must read the record now.</summary>
    public const string BreakGlassHeader = "X-Break-Glass-Reason";

    private static readonly AppointmentStatus[] NoCare = [AppointmentStatus.HoldExpired, AppointmentStatus.Cancelled];

    /// <summary>
    /// Checks access; for a read (<paramref name="readBy"/> given), a therapist outside the care team who states a reason
    /// in <see cref="BreakGlassHeader"/> is let in, and the access is recorded and flagged for compliance review first.
    /// </summary>
    public async Task<ProblemDetails?> CheckAsync(
        Actor actor, Guid patientId, IQuerySession session, CancellationToken cancellation, HttpContext? readBy = null)
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

            var reason = readBy?.Request.Headers[BreakGlassHeader].ToString().Trim() ?? "";
            if (readBy is not null && reason.Length is >= BreakGlassAccessed.MinimumReasonLength and <= BreakGlassAccessed.MaximumReasonLength)
            {
                await RecordBreakGlassAsync(readBy, patientId, therapistId, reason, cancellation);
                return null;
            }

            logger.LogWarning("Refused clinical access: therapist {TherapistId} to patient {PatientId}, outside their care team", therapistId, patientId);
            return Problems.Forbidden(
                $"This patient is not in your care. To read the record in an emergency, state why in the {BreakGlassHeader} header " +
                $"({BreakGlassAccessed.MinimumReasonLength} to {BreakGlassAccessed.MaximumReasonLength} characters); the access is reviewed.");
        }

        return Problems.Forbidden("Clinical records are for the patient and their care team.");
    }

    public static Task<bool> SharesAppointmentAsync(IQuerySession session, Guid therapistId, Guid patientId, CancellationToken cancellation) =>
        session.Query<CalendarEntry>().AnyAsync(e => e.TherapistId == therapistId && e.PatientId == patientId && !NoCare.Contains(e.Status), cancellation);

    private async Task RecordBreakGlassAsync(HttpContext http, Guid patientId, Guid therapistId, string reason, CancellationToken cancellation)
    {
        // Recorded in a transaction of its own and committed before anything is shown.
        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, http);
        session.Events.Append(BreakGlassAccessed.AccessLogStreamId(patientId),
            new BreakGlassAccessed(patientId, therapistId, PersonalText.Of(patientId, reason), $"{http.Request.Method} {http.Request.Path}", time.GetUtcNow()));
        await session.SaveChangesAsync(cancellation);
        logger.LogWarning("Break-glass access: therapist {TherapistId} read patient {PatientId}'s record", therapistId, patientId);
    }

    /// <summary>In the care team: sharing a live or past appointment, or holding an open care episode of the patient's.</summary>
    public static async Task<bool> InCareAsync(IQuerySession session, Guid therapistId, Guid patientId, CancellationToken cancellation) =>
        await SharesAppointmentAsync(session, therapistId, patientId, cancellation)
        || await session.Query<CareEpisode>().AnyAsync(
            e => e.TherapistId == therapistId && e.PatientId == patientId && e.Stage != EpisodeStage.Discharged, cancellation);
}
