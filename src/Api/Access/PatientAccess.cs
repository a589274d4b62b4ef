using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Access;

/// <summary>
/// Who may read and write a patient's clinical data: the patient, and therapists in their care team, that is, sharing a
/// live or past appointment with them or holding an open care episode. Anyone else asking about another patient is told
/// it does not exist; a therapist outside the care team is refused unless they break the glass. Every read that is let
/// in is written to the patient's access log before the data is returned (ADR 0009).
/// </summary>
public sealed class PatientAccess(ILogger<PatientAccess> logger, AccessLog accessLog)
{
    /// <summary>The header in which a clinician outside the care team states why they must read the record now.</summary>
    public const string BreakGlassHeader = "X-Break-Glass-Reason";

    private static readonly AppointmentStatus[] NoCare = Appointment.Gone;

    /// <summary>Checks a write: only the patient themself or their care team, never through the break glass.</summary>
    public async Task<ProblemDetails?> CheckAsync(Actor actor, Guid patientId, IQuerySession session, CancellationToken cancellation) =>
        (await DecideAsync(actor, patientId, session, null, cancellation)).Refused;

    /// <summary>
    /// Checks a read. A therapist outside the care team who states a reason in <see cref="BreakGlassHeader"/> is let in
    /// and the access is flagged; a compliance officer reads for administration. The caller logs what it served with
    /// <see cref="ClinicalRead.LogAsync"/>.
    /// </summary>
    public async Task<ClinicalRead> ForReadAsync(HttpContext http, Guid patientId, IQuerySession session, CancellationToken cancellation)
    {
        var (refused, purpose, reason) = await DecideAsync(Actor.From(http.User), patientId, session, http, cancellation);
        return new ClinicalRead(accessLog, http, patientId, purpose, reason, refused);
    }

    private async Task<(ProblemDetails? Refused, AccessPurpose Purpose, string? Reason)> DecideAsync(
        Actor actor, Guid patientId, IQuerySession session, HttpContext? readBy, CancellationToken cancellation)
    {
        if (actor.Is(ClinicRoles.Patient))
        {
            return (actor.UserId == patientId ? null : Problems.NotFound("patient"), AccessPurpose.PatientAccess, null);
        }

        if (actor.Is(ClinicRoles.Compliance) && readBy is not null)
        {
            return (null, AccessPurpose.Administration, null);
        }

        if (actor.Is(ClinicRoles.Therapist) && actor.UserId is { } therapistId)
        {
            if (await InCareAsync(session, therapistId, patientId, cancellation))
            {
                return (null, AccessPurpose.DirectCare, null);
            }

            var reason = readBy?.Request.Headers[BreakGlassHeader].ToString().Trim() ?? "";
            if (readBy is not null && reason.Length is >= RecordAccessed.MinimumReasonLength and <= RecordAccessed.MaximumReasonLength)
            {
                return (null, AccessPurpose.BreakGlass, reason);
            }

            logger.LogWarning("Refused clinical access: therapist {TherapistId} to patient {PatientId}, outside their care team", therapistId, patientId);
            return (Problems.Forbidden(
                $"This patient is not in your care. To read the record in an emergency, state why in the {BreakGlassHeader} header " +
                $"({RecordAccessed.MinimumReasonLength} to {RecordAccessed.MaximumReasonLength} characters); the access is reviewed."),
                AccessPurpose.DirectCare, null);
        }

        return (Problems.Forbidden("Clinical records are for the patient and their care team."), AccessPurpose.DirectCare, null);
    }

    public static Task<bool> SharesAppointmentAsync(IQuerySession session, Guid therapistId, Guid patientId, CancellationToken cancellation) =>
        session.Query<CalendarEntry>().AnyAsync(e => e.TherapistId == therapistId && e.PatientId == patientId && !NoCare.Contains(e.Status), cancellation);

    /// <summary>Every patient in the therapist's care, in two queries: for checking many patients at once.</summary>
    public static async Task<HashSet<Guid>> CareTeamPatientsAsync(IQuerySession session, Guid therapistId, CancellationToken cancellation)
    {
        var booked = await session.Query<CalendarEntry>().Where(e => e.TherapistId == therapistId && !NoCare.Contains(e.Status))
            .Select(e => e.PatientId).ToListAsync(cancellation);
        var treating = await session.Query<CareEpisode>().Where(e => e.TherapistId == therapistId && e.Stage != EpisodeStage.Discharged)
            .Select(e => e.PatientId).ToListAsync(cancellation);
        return [.. booked, .. treating];
    }

    /// <summary>The therapists in a patient's care team: sharing a live or past appointment, or holding an open care episode.</summary>
    public static async Task<HashSet<Guid>> CareTeamOfAsync(IQuerySession session, Guid patientId, CancellationToken cancellation)
    {
        var booked = await session.Query<CalendarEntry>().Where(e => e.PatientId == patientId && !NoCare.Contains(e.Status))
            .Select(e => e.TherapistId).ToListAsync(cancellation);
        var treating = await session.Query<CareEpisode>().Where(e => e.PatientId == patientId && e.Stage != EpisodeStage.Discharged && e.TherapistId != null)
            .Select(e => e.TherapistId!.Value).ToListAsync(cancellation);
        return [.. booked, .. treating];
    }

    /// <summary>
    /// Whether the caller may see this patient's data now, without a stated reason: an NHS system while the patient's
    /// consent to share with NHS Talking Therapies is in force, the patient themself, a therapist in their care team.
    /// </summary>
    public static async Task<bool> MaySeeAsync(Actor actor, Guid patientId, IQuerySession session, DateTimeOffset now, CancellationToken cancellation) =>
        (await VisibleAsync(actor, [patientId], session, now, cancellation)).Contains(patientId);

    /// <summary>The patients among these the caller may see now (as <see cref="MaySeeAsync"/>), in one or two queries whatever their number.</summary>
    public static async Task<HashSet<Guid>> VisibleAsync(
        Actor actor, IEnumerable<Guid> patientIds, IQuerySession session, DateTimeOffset now, CancellationToken cancellation)
    {
        var ids = patientIds.ToHashSet();
        if (actor.Is(ClinicRoles.System))
        {
            var consents = await session.LoadManyAsync<ConsentRecord>(cancellation, ids.Select(ConsentRecord.StreamId).ToArray());
            return consents.Where(c => c.InForce(ConsentScope.ShareWithNhsTalkingTherapies, now)).Select(c => c.PatientId).Where(ids.Contains).ToHashSet();
        }

        if (actor.Is(ClinicRoles.Patient))
        {
            return actor.UserId is { } self && ids.Contains(self) ? [self] : [];
        }

        if (actor.Is(ClinicRoles.Therapist) && actor.UserId is { } therapistId)
        {
            return ids.Count == 1
                ? await InCareAsync(session, therapistId, ids.Single(), cancellation) ? ids : []
                : (await CareTeamPatientsAsync(session, therapistId, cancellation)).Where(ids.Contains).ToHashSet();
        }

        return [];
    }

    /// <summary>In the care team: sharing a live or past appointment, or holding an open care episode of the patient's.</summary>
    public static async Task<bool> InCareAsync(IQuerySession session, Guid therapistId, Guid patientId, CancellationToken cancellation) =>
        await SharesAppointmentAsync(session, therapistId, patientId, cancellation)
        || await session.Query<CareEpisode>().AnyAsync(
            e => e.TherapistId == therapistId && e.PatientId == patientId && e.Stage != EpisodeStage.Discharged, cancellation);
}

/// <summary>A read let in (or refused): the purpose it is logged under, and the way to log what it served.</summary>
public sealed class ClinicalRead(AccessLog log, HttpContext http, Guid patientId, AccessPurpose purpose, string? reason, ProblemDetails? refused)
{
    public ProblemDetails? Refused => refused;

    public AccessPurpose Purpose => purpose;

    public bool ByPatient => purpose == AccessPurpose.PatientAccess;

    /// <summary>Records the read in the patient's access log, with each stream served at its version; call before returning the data.</summary>
    public Task LogAsync(CancellationToken cancellation, params (string Type, Guid StreamId)[] streams) =>
        log.RecordAsync(http, new PatientRead(patientId, purpose, reason, streams), cancellation);

    public Task LogAsync(DateTimeOffset asOf, CancellationToken cancellation, params (string Type, Guid StreamId)[] streams) =>
        log.RecordAsync(http, new PatientRead(patientId, purpose, reason, streams), cancellation, asOf);
}
