using System.Globalization;
using System.Net;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Therapists;

namespace EventSourcedClinic.Api.Payments;

/// <summary>
/// The receipt for a paid session, as JSON or as a printable page (<c>?format=html</c>): number, date, session,
/// therapist, what was paid and refunded (ADR 0013). UK health care by registered practitioners is exempt from VAT.
/// </summary>
public static class ReceiptEndpoint
{
    public const string VatNote = "Exempt from VAT: health services provided by registered health professionals (VAT Act 1994, Schedule 9, Group 7).";

    [WolverineGet("/api/appointments/{appointmentId}/receipt"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Admin}")]
    [ProducesResponseType<Receipt>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        Guid appointmentId, string? format, HttpContext http, ClaimsPrincipal user, IQuerySession session, AccessLog accessLog, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var payment = await session.LoadAsync<Payment>(Payment.StreamId(appointmentId), cancellation);
        if (payment is null || (actor.Is(ClinicRoles.Patient) && payment.PatientId != actor.UserId))
        {
            return Results.Problem(Problems.NotFound("receipt"));
        }

        if (payment.Status != PaymentStatus.Succeeded)
        {
            return Results.Problem(Problems.Conflict("not-paid", "A receipt is issued once the payment has succeeded."));
        }

        // The receipt names the session's time and therapist: read like the appointment, it is logged like it.
        await accessLog.RecordAsync(http, new PatientRead(payment.PatientId,
            actor.Is(ClinicRoles.Patient) ? Domain.Compliance.AccessPurpose.PatientAccess : Domain.Compliance.AccessPurpose.Administration, null,
            [(RecordTypes.Payment, payment.Id), (RecordTypes.Appointment, appointmentId)]), cancellation);
        var receipt = await BuildAsync(session, payment, cancellation);
        return format == "html" ? Results.Content(Html(receipt), "text/html; charset=utf-8") : Results.Ok(receipt);
    }

    /// <summary>The receipt of a payment that succeeded: its number, the session and therapist, what was paid and given back.</summary>
    public static async Task<Receipt> BuildAsync(IQuerySession session, Payment payment, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(payment.Id, token: cancellation);
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(payment.AppointmentId, token: cancellation);
        var therapist = appointment is null ? null : await session.LoadAsync<TherapistDirectoryEntry>(appointment.TherapistId, cancellation);
        var paidAt = events.Select(e => e.Data).OfType<PaymentSucceeded>().First().SucceededAt;
        var duplicates = payment.Duplicates.Select(d => d.IntentId).ToHashSet();
        return new Receipt(
            $"ESC-{paidAt:yyyyMMdd}-{payment.Id.ToString("N")[..8].ToUpperInvariant()}", paidAt, payment.AppointmentId, appointment?.Start,
            therapist?.FullName, payment.AmountPence, payment.Currency,
            events.Select(e => e.Data).OfType<RefundIssued>().Where(r => !duplicates.Contains(r.IntentId))
                .Select(r => new ReceiptRefund(r.RefundId, r.AmountPence, r.IssuedAt)).ToArray(),
            payment.AmountPence - payment.RefundedPence, VatNote);
    }

    /// <summary>Every receipt of the patient's, newest first: for their summary and their subject access export.</summary>
    public static async Task<Receipt[]> ForPatientAsync(IQuerySession session, Guid patientId, CancellationToken cancellation)
    {
        var payments = await session.Query<Payment>().Where(p => p.PatientId == patientId && p.Status == PaymentStatus.Succeeded).ToListAsync(cancellation);
        var receipts = new List<Receipt>();
        foreach (var payment in payments)
        {
            receipts.Add(await BuildAsync(session, payment, cancellation));
        }

        return [.. receipts.OrderByDescending(r => r.PaidAt)];
    }

    private static string Html(Receipt r)
    {
        var uk = CultureInfo.GetCultureInfo("en-GB");
        string Money(int pence) => (pence / 100m).ToString("C", uk);
        string Date(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, UkTime.London).ToString("d MMMM yyyy, HH:mm", uk);
        var refunds = string.Concat(r.Refunds.Select(x => $"<tr><th scope=\"row\">Refunded {Date(x.IssuedAt)}</th><td>−{Money(x.AmountPence)}</td></tr>"));
        return $"""
            <!DOCTYPE html>
            <html lang="en-GB"><head><meta charset="utf-8"><title>Receipt {WebUtility.HtmlEncode(r.Number)}</title></head>
            <body><main>
            <h1>Receipt {WebUtility.HtmlEncode(r.Number)}</h1>
            <p>EventSourcedClinic, paid {Date(r.PaidAt)}</p>
            <table>
            <tr><th scope="row">Session</th><td>{(r.SessionStart is { } start ? Date(start) : "")} with {WebUtility.HtmlEncode(r.Therapist ?? "your therapist")}</td></tr>
            <tr><th scope="row">Paid</th><td>{Money(r.AmountPence)}</td></tr>
            {refunds}
            <tr><th scope="row">Total</th><td>{Money(r.NetPence)}</td></tr>
            </table>
            <p>{WebUtility.HtmlEncode(r.VatNote)}</p>
            </main></body></html>
            """;
    }
}

public sealed record Receipt(
    string Number, DateTimeOffset PaidAt, Guid AppointmentId, DateTimeOffset? SessionStart, string? Therapist, int AmountPence, string Currency,
    ReceiptRefund[] Refunds, int NetPence, string VatNote);

public sealed record ReceiptRefund(string RefundId, int AmountPence, DateTimeOffset IssuedAt);
