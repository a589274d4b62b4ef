using System.Globalization;
using EventSourcedClinic.Api.Payments;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Scheduling;
using EventSourcedClinic.Projections.Therapists;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Billing;

/// <summary>
/// NHS-funded sessions never touch Stripe: once a month the clinic invoices each commissioning organisation for the
/// funded sessions it delivered (ADR 0014). A statement per organisation (its ODS code, from the referral that opened
/// the patient's care episode) lists each session held: date, therapist, how it was held, and the episode's pathway id
/// (the reference NHS Talking Therapies returns use), never the patient's name.
/// </summary>
public static class NhsStatementEndpoint
{
    /// <summary>The statement for sessions whose episode came without a referrer's ODS code (a self-referral to an NHS service).</summary>
    public const string UnknownCommissioner = "UNKNOWN";

    [WolverineGet("/api/billing/nhs-statements"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<NhsStatement[]>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(string? month, IQuerySession session, IOptions<BillingSettings> billing, TimeProvider time, CancellationToken cancellation)
    {
        var today = UkTime.Today(time.GetUtcNow());
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        if (month is not null && (!DateOnly.TryParseExact($"{month}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first)
                                  || first.Year is < 2000 or > 2100))
        {
            return Results.Problem(Problems.BadQuery("'month' is yyyy-MM (last month when left out)."));
        }

        var (from, to) = (UkTime.StartOf(first), UkTime.StartOf(first.AddMonths(1)));
        var sessions = await session.Query<CalendarEntry>()
            .Where(c => c.Funding == Funding.Nhs && c.Status == AppointmentStatus.Completed && c.Start >= from && c.Start < to)
            .ToListAsync(cancellation);
        var patients = sessions.Select(s => s.PatientId).Distinct().ToArray();
        var episodes = (await session.Query<CareEpisode>().Where(e => e.PatientId.IsOneOf(patients)).ToListAsync(cancellation))
            .ToLookup(e => e.PatientId);
        var therapists = (await session.LoadManyAsync<TherapistDirectoryEntry>(cancellation, sessions.Select(s => s.TherapistId).Distinct()))
            .ToDictionary(t => t.Id, t => t.FullName);

        // The episode a session belongs to: the patient's latest referral before it, with the therapist's, if any, first.
        CareEpisode? EpisodeOf(CalendarEntry s) => episodes[s.PatientId].Where(e => e.ReferredAt <= s.Start)
            .OrderByDescending(e => e.TherapistId == s.TherapistId).ThenByDescending(e => e.ReferredAt).FirstOrDefault();

        var statements = sessions
            .Select(s => (Session: s, Episode: EpisodeOf(s)))
            .GroupBy(x => x.Episode?.ReferrerOdsCode ?? UnknownCommissioner)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var lines = g.OrderBy(x => x.Session.Start).Select(x => new NhsStatementLine(
                    x.Session.Id, x.Session.Start, therapists.GetValueOrDefault(x.Session.TherapistId, ""), x.Session.Medium.ToString().ToLowerInvariant(),
                    (int)(x.Session.End - x.Session.Start).TotalMinutes, x.Episode?.PathwayId)).ToArray();
                return new NhsStatement(g.Key, first.ToString("yyyy-MM", CultureInfo.InvariantCulture), lines.Length, billing.Value.NhsSessionTariffPence,
                    lines.Length * billing.Value.NhsSessionTariffPence, lines);
            })
            .ToArray();
        return Results.Ok(statements);
    }
}

/// <param name="OdsCode">The commissioning organisation (the referrer's ODS code), or UNKNOWN.</param>
public sealed record NhsStatement(string OdsCode, string Month, int Sessions, int TariffPence, int TotalPence, NhsStatementLine[] Lines);

public sealed record NhsStatementLine(Guid AppointmentId, DateTimeOffset Start, string Therapist, string Medium, int Minutes, string? PathwayId);
