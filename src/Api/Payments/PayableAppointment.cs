using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Payments;

/// <summary>What both ways of paying check first (ADR 0013).</summary>
public static class PayableAppointment
{
    /// <summary>
    /// The patient's own appointment and its payment so far. Anyone else's appointment is not found; a paid one is a
    /// 409; and a payment started one way is finished that way, so that one hold is never paid twice.
    /// </summary>
    public static async Task<(Appointment Appointment, Payment? Existing, ProblemDetails? Refused)> LoadAsync(
        IQuerySession session, Guid appointmentId, Guid patientId, PaymentRoute route, CancellationToken cancellation)
    {
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(appointmentId, token: cancellation);
        if (appointment is null || appointment.PatientId != patientId)
        {
            return (null!, null, Problems.NotFound("appointment"));
        }

        var existing = await session.LoadAsync<Payment>(Payment.StreamId(appointmentId), cancellation);
        return existing switch
        {
            { Status: PaymentStatus.Succeeded } => (appointment, existing, Problems.Conflict("already-paid", "This session is already paid for.")),
            { } started when started.Route != route => (appointment, existing, Problems.Conflict("payment-started-elsewhere", route == PaymentRoute.HostedPage
                ? "Payment for this session was started in the app; finish it there."
                : "Payment for this session was started on the payment page; finish it there.")),
            _ => (appointment, existing, null),
        };
    }
}
