using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Integrations.Payments;
using EventSourcedClinic.Projections.Therapists;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Payments;

/// <summary>
/// The web app's way to pay (ADR 0013): the clinic opens a Stripe Checkout page for the fee on the hold, where the
/// payer enters their card (cards incl. Amex, Visa, Mastercard, and wallets) without it touching the clinic, and is sent
/// back to the web app. Stripe's notification then confirms the session, as for any payment.
/// </summary>
public static class CheckoutEndpoint
{
    public static ProblemDetails Validate(CheckoutRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/checkout"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<CheckoutPage>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(
        CheckoutRequest command, Guid appointmentId, HttpContext http, ClaimsPrincipal user, IDocumentSession session, IPaymentProvider provider,
        IOptions<StripeSettings> stripe, TimeProvider time, CancellationToken cancellation)
    {
        var patientId = Actor.From(user).UserId!.Value;
        var now = time.GetUtcNow();
        var (appointment, existing, problem) = await PayableAppointment.LoadAsync(session, appointmentId, patientId, PaymentRoute.HostedPage, cancellation);
        if ((problem ?? (RequestPayment.Check(appointment, patientId, now) is { } refused ? Problems.From(refused) : null)) is { } stop)
        {
            return Results.Problem(stop);
        }

        var therapist = await session.LoadAsync<TherapistDirectoryEntry>(appointment.TherapistId, cancellation);
        var when = TimeZoneInfo.ConvertTime(appointment.Start, UkTime.London).ToString("d MMMM yyyy 'at' HH:mm", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        var version = (await session.Events.FetchStreamStateAsync(appointmentId, cancellation))?.Version ?? 0;
        // Opened again with the same return addresses, the same key answers the same page (Stripe refuses a key reused
        // with other parameters, so the addresses are part of it).
        var returns = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{command.SuccessUrl}\n{command.CancelUrl}")))[..12];
        var page = await provider.CreateCheckoutAsync(appointmentId, appointment.FeePence, $"Therapy session, {when}, with {therapist?.FullName ?? "your therapist"}",
            command.SuccessUrl, command.CancelUrl, $"checkout-{appointmentId}-v{version}-{returns}", cancellation);
        var paymentId = Payment.StreamId(appointmentId);
        if (existing is null)
        {
            session.Start<Payment>(paymentId, RequestPayment.Decide(appointment, patientId, page.SessionId, stripe.Value.Currency, now, PaymentRoute.HostedPage));
        }

        return Results.Created($"/api/appointments/{appointmentId}/payment", new CheckoutPage(paymentId, appointment.FeePence, page.Url));
    }

    public sealed class Validator : AbstractValidator<CheckoutRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.SuccessUrl).Must(WebAddress.IsValid).WithMessage("'successUrl' is an absolute http or https address.");
            RuleFor(x => x.CancelUrl).Must(WebAddress.IsValid).WithMessage("'cancelUrl' is an absolute http or https address.");
        }
    }
}

/// <summary>Where Stripe sends the payer back: after paying, or after giving up.</summary>
public sealed record CheckoutRequest(string SuccessUrl, string CancelUrl);

/// <summary>The hosted payment page to send the payer to.</summary>
public sealed record CheckoutPage(Guid PaymentId, int AmountPence, string CheckoutUrl);
