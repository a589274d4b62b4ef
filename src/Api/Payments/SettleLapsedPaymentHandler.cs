using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Api.Notifications;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Integrations.Payments;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine;

namespace EventSourcedClinic.Api.Payments;

/// <summary>A payment that succeeded after its hold lapsed, to settle once the payment is recorded.</summary>
public sealed record SettleLapsedPayment(Guid AppointmentId, Guid PaymentId);

/// <summary>
/// A payment that arrives after its hold lapsed (ADR 0013): when the time is still free the session is confirmed and
/// its time claimed again; when someone else has taken it, the payment is refunded at once and the patient told. The
/// slot claims refuse an overlap at commit even if the time was taken a moment after the check; the message is then
/// handled again and finds the time taken.
/// </summary>
public static class SettleLapsedPaymentHandler
{
    public static async Task<OutgoingMessages> Handle(
        SettleLapsedPayment message, IDocumentSession session, NpgsqlDataSource database, IPaymentProvider provider, IMessageContext context,
        TimeProvider time, IOptions<BookingSettings> booking, CancellationToken cancellation)
    {
        AuditStamp.ApplyClinic(session, context, "lapsed-payment");
        var now = time.GetUtcNow();
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(message.AppointmentId, token: cancellation);
        var payment = await session.LoadAsync<Payment>(message.PaymentId, cancellation);
        var lapsed = appointment is { Status: AppointmentStatus.HoldExpired } or { Status: AppointmentStatus.Held } && now >= appointment.HoldExpiresAt;
        var cancelled = appointment is { Status: AppointmentStatus.Cancelled };
        if (!(lapsed || cancelled) || payment is not { Status: PaymentStatus.Succeeded })
        {
            return [];
        }

        if (lapsed && await IsFreeAsync(database, appointment!, cancellation))
        {
            // A hold past its time whose lapse has not been handled yet lapses here first, in the same transaction.
            var reinstated = await session.AppendAsync<Appointment>(appointment!.Id, a =>
            {
                if (a is null)
                {
                    return Decision.Accept();
                }

                var expired = a.Status == AppointmentStatus.Held ? ExpireHold.Decide(a, now).Events : [];
                return Decision.Accept([.. expired, .. ReinstateLapsedHold.Decide(Fold<Appointment>.All(expired, a)!, payment.IntentId, now).Events]);
            }, cancellation);
            await BookingContext.ScheduleFollowUpsAsync(context, reinstated, now, booking.Value);
            return [];
        }

        if (payment.RefundablePence > 0)
        {
            var why = cancelled ? "paid after the session was cancelled" : "paid after the hold lapsed and the time was taken";
            var refund = await provider.RefundAsync(payment.IntentId, payment.RefundablePence, $"refund-{payment.Id}-lapsed", cancellation);
            await session.AppendAsync<Payment>(payment.Id, current => current is null
                ? Decision.Accept()
                : IssueRefund.Decide(current, refund.RefundId, (int)refund.Amount, why, now, refund.CreatedAt), cancellation);
        }

        return
        [
            new Notification(appointment!.PatientId, "payment-refunded", "Your payment has been refunded", cancelled
                ? "Your payment arrived after your session had been cancelled. We have refunded the full amount."
                : "Your payment arrived after the hold on your session had lapsed, and the time has since been booked. " +
                  "We have refunded the full amount; please choose another time."),
        ];
    }

    /// <summary>Whether neither the therapist nor the patient has anything else at the appointment's time.</summary>
    private static async Task<bool> IsFreeAsync(NpgsqlDataSource database, Appointment appointment, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(
            $"select not exists (select 1 from {ClinicSchema.Name}.{Projections.Scheduling.SlotClaims.TableName} " +
            "where (therapist_id = $1 or patient_id = $2) and during && tstzrange($3, $4, '[)') and appointment_id <> $5)");
        command.Parameters.AddWithValue(appointment.TherapistId);
        command.Parameters.AddWithValue(appointment.PatientId);
        command.Parameters.AddWithValue(appointment.Start.ToUniversalTime());
        command.Parameters.AddWithValue(appointment.End.ToUniversalTime());
        command.Parameters.AddWithValue(appointment.Id);
        return await command.ExecuteScalarAsync(cancellation) is true;
    }
}
