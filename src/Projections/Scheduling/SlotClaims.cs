using EventSourcedClinic.Domain.Scheduling.Booking;
using Marten;
using Marten.Events.Projections;

namespace EventSourcedClinic.Projections.Scheduling;

/// <summary>
/// The times appointments hold, in a table whose exclusion constraints make PostgreSQL refuse any overlap for one
/// therapist or one patient (ADR 0006). Inline: the claim is written in the transaction that appends the event, so a
/// clash aborts the whole booking and nothing is half-written. Replaying the events rebuilds the table.
/// </summary>
public sealed partial class SlotClaims : EventProjection
{
    public const string TherapistConstraint = "slot_claims_therapist_no_overlap";
    public const string PatientConstraint = "slot_claims_patient_no_overlap";
    public const string TableName = "slot_claims";

    /// <summary>The claims of the store in <paramref name="schema"/>; a rebuild empties the table before replaying into it.</summary>
    public SlotClaims(string schema)
    {
        Table = $"{schema}.{TableName}";
        Options.DeleteDataInTableOnTeardown(Table);
    }

    public string Table { get; }

    public string Schema => $"""
        create extension if not exists btree_gist;
        create table if not exists {Table} (
            appointment_id uuid primary key,
            therapist_id uuid not null,
            patient_id uuid not null,
            during tstzrange not null,
            constraint {TherapistConstraint} exclude using gist (therapist_id with =, during with &&),
            constraint {PatientConstraint} exclude using gist (patient_id with =, during with &&)
        );
        """;

    public void Project(AppointmentHeld e, IDocumentOperations operations) =>
        operations.QueueSqlCommand(
            $"insert into {Table} (appointment_id, therapist_id, patient_id, during) values (?, ?, ?, tstzrange(?, ?, '[)')) " +
            "on conflict (appointment_id) do update set during = excluded.during",
            e.AppointmentId, e.TherapistId, e.PatientId, e.Start.ToUniversalTime(), e.End.ToUniversalTime());

    public void Project(LapsedHoldPaid e, IDocumentOperations operations) =>
        operations.QueueSqlCommand(
            $"insert into {Table} (appointment_id, therapist_id, patient_id, during) values (?, ?, ?, tstzrange(?, ?, '[)'))",
            e.AppointmentId, e.TherapistId, e.PatientId, e.Start.ToUniversalTime(), e.End.ToUniversalTime());

    public void Project(AppointmentRescheduled e, IDocumentOperations operations) =>
        operations.QueueSqlCommand($"update {Table} set during = tstzrange(?, ?, '[)') where appointment_id = ?", e.NewStart.ToUniversalTime(), e.NewEnd.ToUniversalTime(), e.AppointmentId);

    public void Project(HoldExpired e, IDocumentOperations operations) => Release(e.AppointmentId, operations);

    public void Project(AppointmentCancelled e, IDocumentOperations operations) => Release(e.AppointmentId, operations);

    private void Release(Guid appointmentId, IDocumentOperations operations) =>
        operations.QueueSqlCommand($"delete from {Table} where appointment_id = ?", appointmentId);
}
