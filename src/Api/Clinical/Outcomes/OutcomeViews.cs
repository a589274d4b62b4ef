using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Clinical;
using EventSourcedClinic.Projections.Scheduling;

namespace EventSourcedClinic.Api.Clinical.Outcomes;

/// <summary>Outcome measures as the patient and their care team see them, and the therapist's caseload.</summary>
public static class OutcomeViews
{
    [WolverineGet("/api/patients/{patientId}/outcomes"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<PatientOutcomes>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetForPatient(
        HttpContext http, Guid patientId, IQuerySession session, PatientAccess access, CancellationToken cancellation)
    {
        var read = await access.ForReadAsync(http, patientId, session, cancellation);
        if (read.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        var history = await session.LoadAsync<OutcomeHistory>(RecordOutcome.StreamId(patientId), cancellation);
        await read.LogAsync(cancellation, (RecordTypes.Outcomes, RecordOutcome.StreamId(patientId)));
        var measures = history?.Measures ?? [];
        var byEpisode = measures.GroupBy(m => m.EpisodeId)
            .Select(g => new EpisodeMeasures(g.Key, EpisodeOutcomeView.From(Measures(g)), g.Count()))
            .ToArray();
        return Results.Ok(new PatientOutcomes(patientId, measures.Select(OutcomeEntryView.From).ToArray(), EpisodeOutcomeView.From(Measures(measures)),
            measures.LastOrDefault(m => m.Questionnaire == Questionnaire.Phq9)?.RiskFlag == true, byEpisode));
    }

    private static readonly AppointmentStatus[] Gone = Appointment.Gone;

    /// <summary>The therapist's patients (those they share appointments with), with latest scores, change since the first, risk and recovery.</summary>
    [WolverineGet("/api/caseload"), Authorize(Roles = ClinicRoles.Therapist)]
    public static async Task<Caseload> GetCaseload(
        HttpContext http, ClaimsPrincipal user, IQuerySession session, AccessLog accessLog, TimeProvider time, CancellationToken cancellation)
    {
        var therapistId = Actor.From(user).UserId!.Value;
        var now = time.GetUtcNow();
        var appointments = await session.Query<CalendarEntry>()
            .Where(e => e.TherapistId == therapistId && !Gone.Contains(e.Status))
            .ToListAsync(cancellation);
        var patientIds = appointments.Select(a => a.PatientId).Distinct().ToArray();
        var histories = (await session.LoadManyAsync<OutcomeHistory>(cancellation, patientIds.Select(RecordOutcome.StreamId).ToArray()))
            .ToDictionary(h => h.PatientId);

        // Names, read from each patient's own (encrypted) stream, all in one round trip: a name is what a therapist looks
        // for. An erased patient has none.
        var batch = session.CreateBatchQuery();
        var streams = patientIds.ToDictionary(id => id, id => batch.Events.FetchStream(id));
        await batch.Execute(cancellation);
        var names = new Dictionary<Guid, string?>();
        foreach (var (patientId, stream) in streams)
        {
            var patient = Fold<Domain.Patients.Patient>.All((await stream).Select(e => e.Data));
            names[patientId] = patient is { GivenName.Value: { } given, FamilyName.Value: { } family } ? $"{given} {family}" : null;
        }

        var rows = patientIds.Select(patientId =>
        {
            var measures = CurrentCourse(histories.GetValueOrDefault(patientId)?.Measures ?? []);
            var phq = measures.Where(m => m.Questionnaire == Questionnaire.Phq9).ToArray();
            var gad = measures.Where(m => m.Questionnaire == Questionnaire.Gad7).ToArray();
            var next = appointments.Where(a => a.PatientId == patientId && a.Start > now).OrderBy(a => a.Start).FirstOrDefault();
            return new CaseloadEntry(
                patientId, names[patientId], phq.LastOrDefault()?.Total, gad.LastOrDefault()?.Total,
                phq.Length > 1 ? phq[^1].Total - phq[0].Total : null, gad.Length > 1 ? gad[^1].Total - gad[0].Total : null,
                phq.LastOrDefault()?.RiskFlag == true, EpisodeOutcomeView.From(Measures(measures)), next?.Start);
        })
        .OrderByDescending(r => r.RiskFlag).ThenBy(r => r.NextAppointment ?? DateTimeOffset.MaxValue)
        .ToArray();
        await accessLog.RecordAsync(http, patientIds.Select(id =>
            new PatientRead(id, AccessPurpose.DirectCare, null, [(RecordTypes.Outcomes, RecordOutcome.StreamId(id))])).ToArray(), cancellation);
        return new Caseload(therapistId, rows);
    }

    /// <summary>The measures of the episode the latest measure belongs to: first and last scores are compared within one episode.</summary>
    internal static OutcomeEntry[] CurrentCourse(OutcomeEntry[] measures) =>
        measures.Length == 0 ? measures : measures.Where(m => m.EpisodeId == measures.MaxBy(x => x.CompletedAt)!.EpisodeId).ToArray();

    internal static EpisodeOutcome Measures(IEnumerable<OutcomeEntry> measures) =>
        TalkingTherapiesMeasures.For(measures.Select(m => new Score(m.Questionnaire, m.Total, m.CompletedAt)));
}

/// <summary>All of a patient's measures judged together, and per care episode (measures recorded without one are grouped under null).</summary>
public sealed record PatientOutcomes(Guid PatientId, OutcomeEntryView[] Measures, EpisodeOutcomeView TalkingTherapies, bool RiskFlag, EpisodeMeasures[] Episodes);

public sealed record EpisodeMeasures(Guid? EpisodeId, EpisodeOutcomeView TalkingTherapies, int Count);

/// <summary>One patient in a therapist's caseload. Changes are last minus first: negative is better.</summary>
public sealed record CaseloadEntry(
    Guid PatientId, string? PatientName, int? LatestPhq9, int? LatestGad7, int? Phq9Change, int? Gad7Change, bool RiskFlag, EpisodeOutcomeView TalkingTherapies,
    DateTimeOffset? NextAppointment);

public sealed record Caseload(Guid TherapistId, CaseloadEntry[] Patients);
