using EventSourcedClinic.Api.Patients.Registration;
using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Scheduling;
using JasperFx.Events;
using Microsoft.AspNetCore.Identity;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>
/// The right to erasure, by crypto-shredding (ADR 0010). Outside the retention period the patient's key is destroyed,
/// so every personal value in every event and read model reads as erased; their sign-in and NHS-number index go too;
/// a <see cref="PatientErased"/> receipt is appended. Inside it, the request is refused with the reason and processing
/// is restricted instead, unless the data protection officer overrides it with a reason of their own.
/// </summary>
public static class ErasePatientEndpoint
{
    private static readonly AppointmentStatus[] Contact = [AppointmentStatus.Started, AppointmentStatus.Completed, AppointmentStatus.PatientDidNotAttend];

    public static ProblemDetails Validate(ErasePatientRequest request) => Problems.Validate(request, Validator.Instance);

    [WolverinePost("/api/compliance/patients/{patientId}/erasure"), Authorize(Roles = ClinicRoles.Compliance)]
    [ProducesResponseType<ErasureReceipt>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public static async Task<IResult> Post(
        ErasePatientRequest request, Guid patientId, HttpContext http, IDocumentStore store, PatientStreamRegistry registry, PatientKeys keys, UserManager<ClinicUser> users,
        Npgsql.NpgsqlDataSource database, TimeProvider time, ILogger<ErasePatient> logger, CancellationToken cancellation)
    {
        // One erasure of a patient at a time, across nodes: the account, the key and the receipt are not all in one
        // transaction, so a second officer's request waits for none of it and is told to look again.
        // The lock lives as long as this transaction, which ends (and lets go) when the request does.
        await using var guard = await database.OpenConnectionAsync(cancellation);
        await using var held = await guard.BeginTransactionAsync(cancellation);
        await using (var take = new Npgsql.NpgsqlCommand("select pg_try_advisory_xact_lock(hashtextextended($1, 0))", guard, held))
        {
            take.Parameters.AddWithValue($"erasure/{patientId}");
            if (await take.ExecuteScalarAsync(cancellation) is not true)
            {
                return Results.Problem(Problems.Conflict("erasure-in-progress", "This patient's erasure is already under way; read the outcome and retry if needed."));
            }
        }

        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, http);
        if (!await PatientStreams.IsPatientAsync(session, patientId, cancellation))
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        var now = time.GetUtcNow();
        var lastContact = await LastContactAsync(session, registry, patientId, now, cancellation);
        var claims = await session.Query<NhsNumberClaim>().Where(c => c.PatientId == patientId).ToListAsync(cancellation);
        string[] actions = [.. claims.Take(1).Select(_ => "nhs-number-index-removed"), "personal-data-key-destroyed", "sign-in-account-deleted"];

        // Decided once, on the records-management stream: a refusal within retention restricts processing (the request
        // still counts: the record is kept, and processed no further than keeping it); an erasure leaves its receipt.
        ErasureDecision decision = null!;
        var records = await session.AppendAsync<RecordsStatus>(RecordsStatus.StreamId(patientId), status =>
        {
            decision = Retention.Decide(request, lastContact, status?.IsErased == true, now);
            return decision.Refusal switch
            {
                { Rule: "within-retention" } when status?.IsRestricted != true =>
                    Decision.Accept(new ProcessingRestricted(patientId, request.Reason, lastContact!.Value, decision.RetainUntil!.Value, now)),
                not null => Decision.Accept(),
                null => Decision.Accept(new PatientErased(patientId, request.Reason, decision.Overridden ? request.OverrideReason : null, lastContact,
                    decision.RetainUntil, actions, now)),
            };
        }, cancellation);
        if (decision.Refusal is { } refusal)
        {
            await session.SaveChangesAsync(cancellation);
            var problem = Problems.From(refusal);
            problem.Extensions["retainUntil"] = decision.RetainUntil;
            problem.Extensions["processingRestricted"] = refusal.Rule == "within-retention";
            return Results.Problem(problem);
        }

        // The sign-in account goes first (the identity store is another transaction): if what follows fails, a retry
        // finds the account gone and the data still there, never the data gone without a receipt.
        if (await users.FindByIdAsync(patientId.ToString()) is { } account)
        {
            var deleted = await users.DeleteAsync(account);
            if (!deleted.Succeeded)
            {
                throw new InvalidOperationException($"The sign-in account of patient {patientId} could not be deleted: {string.Join("; ", deleted.Errors.Select(e => e.Description))}");
            }
        }

        foreach (var claim in claims)
        {
            session.Delete(claim);
        }

        // The key is destroyed in the transaction that appends the receipt: both happen, or neither.
        session.QueueSqlCommand(PatientKeys.DestroyInTransaction, now, patientId);
        var receipt = (PatientErased)records.Events.Single();
        await session.SaveChangesAsync(cancellation);
        keys.Forget(patientId);
        logger.LogWarning("Erased patient {PatientId}'s personal data{Override}", patientId, decision.Overridden ? " overriding the retention period" : "");
        return Results.Ok(ErasureReceipt.From(receipt));
    }

    /// <summary>The last contact with the service: the latest session that took place, or clinical entry made, whichever is later.</summary>
    public static async Task<DateTimeOffset?> LastContactAsync(
        IQuerySession session, PatientStreamRegistry registry, Guid patientId, DateTimeOffset now, CancellationToken cancellation)
    {
        var sessions = await session.Query<CalendarEntry>()
            .Where(e => e.PatientId == patientId && e.Status.IsOneOf(Contact) && e.Start <= now)
            .Select(e => e.End).ToListAsync(cancellation);
        var clinicalTypes = registry.Kinds.Where(k => k.Clinical).Select(k => k.RecordType).ToHashSet();
        var clinical = (await registry.FindAsync(session, patientId, cancellation))
            .Where(s => clinicalTypes.Contains(s.Type)).Select(s => s.StreamId).ToArray();
        var entries = await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(clinical))
            .OrderByDescending(e => e.Timestamp).Take(1).ToListAsync(cancellation);
        DateTimeOffset?[] candidates = [.. sessions.Select(end => (DateTimeOffset?)(end < now ? end : now)), .. entries.Select(e => (DateTimeOffset?)e.Timestamp)];
        return candidates.Max();
    }

    public sealed class Validator : AbstractValidator<ErasePatientRequest>
    {
        public static readonly Validator Instance = new();

        private Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().Length(ErasePatient.MinimumReasonLength, ErasePatient.MaximumReasonLength);
            RuleFor(x => x.OverrideReason!).Length(ErasePatient.MinimumReasonLength, ErasePatient.MaximumReasonLength).When(x => x.OverrideReason is not null);
        }
    }
}

/// <summary>The request body of <see cref="ErasePatient"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record ErasePatientRequest(string Reason, string? OverrideReason = null)
{
    public static implicit operator ErasePatient(ErasePatientRequest request) => new(request.Reason, request.OverrideReason);
}
