using System.Net;
using Marten;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcedClinic.Api.Payments;
using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using Microsoft.Extensions.DependencyInjection;
using static EventSourcedClinic.Api.Tests.Payments.StripeScenarios;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Payments;

/// <summary>
/// Paying for a held session through Stripe's API (the project's fake on loopback, reached through Stripe.net): the
/// payer's device confirms the payment with Stripe, and Stripe's signed notification confirms the session.
/// </summary>
public class PaymentTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_patient_pays_by_card_and_stripes_notification_confirms_the_held_session_once()
    {
        var (patient, booked) = await HeldSession();
        var paying = await patient.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel);
        paying.StatusCode.ShouldBe(HttpStatusCode.Created, await paying.Content.ReadAsStringAsync(Cancel));
        var payment = (await paying.Content.ReadFromJsonAsync<PaymentSession>(ClinicApp.Json, Cancel))!;
        payment.AmountPence.ShouldBe(booked.FeePence);
        payment.ClientSecret.ShouldStartWith(payment.IntentId + "_secret_");

        // Asking again answers the same payment: a retried request never creates a second charge.
        var again = (await (await patient.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel))
            .Content.ReadFromJsonAsync<PaymentSession>(ClinicApp.Json, Cancel))!;
        again.IntentId.ShouldBe(payment.IntentId);

        (await ConfirmWithStripe(payment, "pm_card_visa")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await Appointment(patient, booked)).Status == AppointmentStatus.Confirmed);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(payment.PaymentId, Cancel))?.Status == PaymentStatus.Succeeded);

        // The same notification again, and fifty deliveries of it at once: applied once.
        var succeeded = (await StripeEvents()).Single(e => e["type"]!.GetValue<string>() == "payment_intent.succeeded" && IntentOf(e) == payment.IntentId);
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Deliver(succeeded.ToJsonString())));
        deliveries.ShouldAllBe(status => status == HttpStatusCode.NoContent || status == HttpStatusCode.Conflict);
        (await Deliver(succeeded.ToJsonString())).ShouldBe(HttpStatusCode.NoContent);
        var events = await Scenarios.Events(app, Payment.StreamId(booked.AppointmentId));
        events.Select(e => e.Data).OfType<PaymentSucceeded>().ShouldHaveSingleItem().AmountReceived.ShouldBe(booked.FeePence);
        (await Scenarios.Events(app, booked.AppointmentId)).Select(e => e.Data).OfType<AppointmentConfirmed>().ShouldHaveSingleItem()
            .Reference.ShouldBe(payment.IntentId);
        events.Single(e => e.Data is PaymentSucceeded).Headers!["user-id"].ToString().ShouldBe("stripe");
        events.Single(e => e.Data is PaymentRequested).Headers!["role"].ToString().ShouldBe("patient");

        (await patient.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var receipt = (await patient.GetFromJsonAsync<Receipt>($"/api/appointments/{booked.AppointmentId}/receipt", ClinicApp.Json, Cancel))!;
        receipt.Number.ShouldStartWith("ESC-");
        receipt.AmountPence.ShouldBe(booked.FeePence);
        receipt.NetPence.ShouldBe(booked.FeePence);
        receipt.VatNote.ShouldContain("Exempt from VAT");
        var page = await patient.GetAsync($"/api/appointments/{booked.AppointmentId}/receipt?format=html", Cancel);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await page.Content.ReadAsStringAsync(Cancel)).ShouldContain($"<h1>Receipt {receipt.Number}</h1>");
        using var stranger = await AsNewPatient(app);
        (await stranger.GetAsync($"/api/appointments/{booked.AppointmentId}/receipt", Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("4242 4242 4242 4242", false)]
    [InlineData("4000 0027 6000 3184", true)]
    public async Task a_patient_pays_on_the_hosted_checkout_page_and_is_sent_back_to_the_web_app(string card, bool asksFor3ds)
    {
        var (patient, booked) = await HeldSession();
        (await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/checkout", new { successUrl = "javascript:alert(1)", cancelUrl = "https://app.example/x" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var opened = await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/checkout",
            new { successUrl = "https://app.example/paid", cancelUrl = "https://app.example/not-paid" }, Cancel);
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync(Cancel));
        var checkout = (await opened.Content.ReadFromJsonAsync<CheckoutPage>(ClinicApp.Json, Cancel))!;
        checkout.AmountPence.ShouldBe(booked.FeePence);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        (await browser.GetStringAsync(checkout.CheckoutUrl, Cancel)).ShouldContain("Pay 75.00 GBP");
        var paid = await browser.PostAsync(checkout.CheckoutUrl, new FormUrlEncodedContent([new("card_number", card)]), Cancel);
        if (asksFor3ds)
        {
            var challenge = await paid.Content.ReadAsStringAsync(Cancel);
            challenge.ShouldContain("Confirm it is you");
            var action = System.Text.RegularExpressions.Regex.Match(challenge, "action=\"([^\"]+)\"").Groups[1].Value;
            (await Appointment(patient, booked)).Status.ShouldBe(AppointmentStatus.Held);
            paid = await browser.PostAsync(new Uri(new Uri(checkout.CheckoutUrl), action), null, Cancel);
        }

        paid.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        paid.Headers.Location!.ToString().ShouldBe("https://app.example/paid");
        await Eventually(async () => (await Appointment(patient, booked)).Status == AppointmentStatus.Confirmed);

        // Refunds go to the payment the page made.
        (await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/cancellation", new { expectedVersion = 2, reason = "Changed plans" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(checkout.PaymentId, Cancel))!.RefundedPence == booked.FeePence);
    }

    [Fact]
    public async Task a_notification_that_overtakes_the_clinics_own_answer_is_applied_when_redelivered_and_a_late_failure_undoes_nothing()
    {
        var (patient, booked) = await HeldSession();

        // Stripe's side first: the intent the clinic is about to create (same idempotency key), paid at once.
        using var stripe = new HttpClient();
        stripe.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_clinic_tests");
        using var create = new HttpRequestMessage(HttpMethod.Post, $"{app.StripeUrl}/v1/payment_intents")
        {
            Content = new FormUrlEncodedContent([new("amount", booked.FeePence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("currency", "gbp"), new("metadata[appointment_id]", booked.AppointmentId.ToString())]),
        };
        create.Headers.Add("Idempotency-Key", $"appointment-{booked.AppointmentId}-v1");
        var intentId = JsonNode.Parse(await (await stripe.SendAsync(create, Cancel)).Content.ReadAsStringAsync(Cancel))!["id"]!.GetValue<string>();
        (await stripe.PostAsync($"{app.StripeUrl}/v1/payment_intents/{intentId}/confirm",
            new FormUrlEncodedContent([new("payment_method", "pm_card_visa")]), Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var succeeded = (await StripeEvents()).Single(e => e["type"]!.GetValue<string>() == "payment_intent.succeeded" && IntentOf(e) == intentId);

        (await Deliver(succeeded.ToJsonString())).ShouldBe(HttpStatusCode.NotFound);
        (await Scenarios.Events(app, Payment.StreamId(booked.AppointmentId))).ShouldBeEmpty();

        var payment = await Pay(patient, booked);
        payment.IntentId.ShouldBe(intentId);
        (await Deliver(succeeded.ToJsonString())).ShouldBe(HttpStatusCode.NoContent);
        (await Appointment(patient, booked)).Status.ShouldBe(AppointmentStatus.Confirmed);

        var failed = JsonNode.Parse(succeeded.ToJsonString())!.AsObject();
        failed["id"] = "evt_late_failure";
        failed["type"] = "payment_intent.payment_failed";
        (await Deliver(failed.ToJsonString())).ShouldBe(HttpStatusCode.NoContent);
        (await app.Store.LightweightSession().LoadAsync<Payment>(payment.PaymentId, Cancel))!.Status.ShouldBe(PaymentStatus.Succeeded);
        (await Scenarios.Events(app, payment.PaymentId)).Select(e => e.Data).OfType<PaymentFailed>().ShouldBeEmpty();
    }

    [Fact]
    public async Task many_requests_to_pay_one_hold_at_once_make_one_payment_and_one_intent()
    {
        var (patient, booked) = await HeldSession();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => patient.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel)));

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Created || a.StatusCode == HttpStatusCode.OK || a.StatusCode == HttpStatusCode.Conflict);
        var intents = new List<string>();
        foreach (var answer in answers.Where(a => a.IsSuccessStatusCode))
        {
            intents.Add((await answer.Content.ReadFromJsonAsync<PaymentSession>(ClinicApp.Json, Cancel))!.IntentId);
        }

        intents.Distinct().ShouldHaveSingleItem();
        (await Scenarios.Events(app, Payment.StreamId(booked.AppointmentId))).ShouldHaveSingleItem().Data.ShouldBeOfType<PaymentRequested>();
    }

    [Fact]
    public async Task a_payment_started_on_the_hosted_page_is_finished_there_and_not_also_through_the_app()
    {
        var (patient, booked) = await HeldSession();
        var returns = new { successUrl = "https://app.example/paid", cancelUrl = "https://app.example/not-paid" };
        var first = (await (await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/checkout", returns, Cancel))
            .Content.ReadFromJsonAsync<CheckoutPage>(ClinicApp.Json, Cancel))!;
        var again = (await (await patient.PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/checkout", returns, Cancel))
            .Content.ReadFromJsonAsync<CheckoutPage>(ClinicApp.Json, Cancel))!;
        again.CheckoutUrl.ShouldBe(first.CheckoutUrl);

        var inApp = await patient.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel);
        inApp.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Scenarios.Problem(inApp)).GetProperty("rule").GetString().ShouldBe("payment-started-elsewhere");
    }

    [Fact]
    public async Task a_payment_that_needs_3d_secure_confirms_once_the_payer_passes_the_challenge()
    {
        var (patient, booked) = await HeldSession();
        var payment = await Pay(patient, booked);
        var confirmed = JsonNode.Parse(await (await ConfirmWithStripe(payment, "pm_card_threeDSecure2Required")).Content.ReadAsStringAsync(Cancel))!;
        confirmed["status"]!.GetValue<string>().ShouldBe("requires_action");
        (await Appointment(patient, booked)).Status.ShouldBe(AppointmentStatus.Held);

        using var stripe = new HttpClient();
        (await stripe.PostAsync($"{app.StripeUrl}/_fake/3ds/{payment.IntentId}", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await Appointment(patient, booked)).Status == AppointmentStatus.Confirmed);
    }

    [Fact]
    public async Task a_declined_card_is_recorded_and_the_hold_stands()
    {
        var (patient, booked) = await HeldSession();
        var payment = await Pay(patient, booked);
        var declined = await ConfirmWithStripe(payment, "pm_card_visa_chargeDeclinedInsufficientFunds");
        declined.StatusCode.ShouldBe(HttpStatusCode.PaymentRequired);
        JsonNode.Parse(await declined.Content.ReadAsStringAsync(Cancel))!["error"]!["decline_code"]!.GetValue<string>().ShouldBe("insufficient_funds");

        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(payment.PaymentId, Cancel))?.Status == PaymentStatus.Failed);
        (await app.Store.LightweightSession().LoadAsync<Payment>(payment.PaymentId, Cancel))!.FailureCode.ShouldBe("card_declined");
        (await Appointment(patient, booked)).Status.ShouldBe(AppointmentStatus.Held);
    }

    [Fact]
    public async Task forged_altered_and_stale_notifications_are_refused_and_change_nothing()
    {
        var (patient, booked) = await HeldSession();
        var payment = await Pay(patient, booked);
        var forged = new JsonObject
        {
            ["id"] = "evt_forged", ["object"] = "event", ["type"] = "payment_intent.succeeded", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = payment.IntentId, ["object"] = "payment_intent", ["amount"] = payment.AmountPence, ["amount_received"] = payment.AmountPence,
                    ["status"] = "succeeded", ["metadata"] = new JsonObject { ["appointment_id"] = booked.AppointmentId.ToString() },
                },
            },
        }.ToJsonString();

        (await Deliver(forged, secret: "whsec_someone_else")).ShouldBe(HttpStatusCode.BadRequest);
        (await Deliver(forged, at: DateTimeOffset.UtcNow.AddMinutes(-10))).ShouldBe(HttpStatusCode.BadRequest);
        (await Deliver(forged, signature: "t=1,v1=00")).ShouldBe(HttpStatusCode.BadRequest);
        (await Deliver(forged, tamper: body => body.Replace("evt_forged", "evt_altered", StringComparison.Ordinal))).ShouldBe(HttpStatusCode.BadRequest);
        (await Deliver("not json at all")).ShouldBe(HttpStatusCode.BadRequest);

        (await Scenarios.Events(app, Payment.StreamId(booked.AppointmentId))).ShouldHaveSingleItem().Data.ShouldBeOfType<PaymentRequested>();
        (await Appointment(patient, booked)).Status.ShouldBe(AppointmentStatus.Held);
    }

    [Fact]
    public async Task nobody_pays_for_someone_elses_hold_and_only_a_held_self_pay_session_is_paid_for()
    {
        var (_, booked) = await HeldSession();
        using var stranger = await AsNewPatient(app);
        (await stranger.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync($"/api/appointments/{Guid.CreateVersion7()}/payment", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var therapistToken = await app.AsAdmin();
        (await therapistToken.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task when_stripe_cannot_be_reached_paying_is_a_503_with_retry_after_and_the_hold_stands()
    {
        await using var unreachable = new ClinicApp(null, new Dictionary<string, string> { ["Payments:Stripe:ApiBase"] = "http://127.0.0.1:9" }, ownsDatabase: true);
        await unreachable.InitializeAsync();
        var therapist = await BookableTherapist(unreachable);
        using var patient = await AsNewPatient(unreachable);
        var booked = await Booked(patient, therapist.Id, LondonInDays(unreachable, 4, 11));

        var paying = await patient.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel);
        paying.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        paying.Headers.RetryAfter.ShouldNotBeNull();
        (await Scenarios.Problem(paying)).GetProperty("type").GetString()!.ShouldEndWith("payments-unavailable");
        (await Scenarios.Events(unreachable, booked.AppointmentId)).ShouldHaveSingleItem().Data.ShouldBeOfType<AppointmentHeld>();
    }

    [Theory]
    [InlineData("patient")]
    [InlineData("therapist")]
    public async Task cancelling_a_paid_session_in_time_refunds_it_through_stripe_once(string who)
    {
        var (patient, booked, therapist) = await HeldSessionWith();
        var payment = await Pay(patient, booked);
        (await ConfirmWithStripe(payment, "pm_card_visa")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await Appointment(patient, booked)).Status == AppointmentStatus.Confirmed);

        using var canceller = who == "patient" ? null : app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        var cancelled = await (canceller ?? patient).PostAsJsonAsync($"/api/appointments/{booked.AppointmentId}/cancellation",
            new { expectedVersion = 2, reason = "Moving house that week" }, Cancel);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK, await cancelled.Content.ReadAsStringAsync(Cancel));

        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(payment.PaymentId, Cancel))!.RefundedPence == booked.FeePence);
        var refund = (await Scenarios.Events(app, payment.PaymentId)).Select(e => e.Data).OfType<RefundIssued>().ShouldHaveSingleItem();
        refund.AmountPence.ShouldBe(booked.FeePence);
        refund.Reason.Value.ShouldNotBeNull().ShouldContain(who);
        using var stripe = new HttpClient();
        var refunds = JsonNode.Parse(await stripe.GetStringAsync($"{app.StripeUrl}/_fake/refunds", Cancel))!.AsArray()
            .Where(r => r!["payment_intent"]!.GetValue<string>() == payment.IntentId).ToArray();
        refunds.ShouldHaveSingleItem()!["amount"]!.GetValue<long>().ShouldBe(booked.FeePence);
        refunds[0]!["id"]!.GetValue<string>().ShouldBe(refund.RefundId);

        // Both were told it was booked and that it was cancelled; the patient, that the money is on its way (after each commit).
        var patientId = (await app.Store.LightweightSession().LoadAsync<Payment>(payment.PaymentId, Cancel))!.PatientId;
        await Eventually(async () =>
        {
            await using var session = app.Store.QuerySession();
            var kinds = await session.Query<Api.Notifications.NotificationDelivery>()
                .Where(d => d.RecipientId == patientId || d.RecipientId == therapist.Id).Select(d => d.Kind).ToListAsync(Cancel);
            return kinds.Count(k => k == "session-booked") == 2 && kinds.Count(k => k == "session-cancelled") == 2 && kinds.Contains("refund-issued");
        }, "the booking, cancellation and refund notices were not all delivered");
    }

    [Fact]
    public async Task the_desk_refunds_part_of_a_payment_by_hand_with_a_reason_once_for_the_version_it_read()
    {
        var (patient, booked) = await HeldSession();
        var payment = await Pay(patient, booked);
        (await ConfirmWithStripe(payment, "pm_card_visa")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(payment.PaymentId, Cancel))?.Status == PaymentStatus.Succeeded);
        using var admin = await app.AsAdmin();
        var refunds = $"/api/appointments/{booked.AppointmentId}/payment/refunds";

        (await patient.PostAsJsonAsync(refunds, new { expectedVersion = 2, amountPence = 100, reason = "goodwill" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync($"/api/appointments/{Guid.CreateVersion7()}/payment/refunds", new { expectedVersion = 2, amountPence = 100, reason = "x" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsJsonAsync(refunds, new { expectedVersion = 2, amountPence = 100, reason = "" }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PostAsJsonAsync(refunds, new { expectedVersion = 2, amountPence = booked.FeePence + 1, reason = "too much" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var refunded = await admin.PostAsJsonAsync(refunds, new { expectedVersion = 2, amountPence = 2500, reason = "Session cut short by a fire alarm" }, Cancel);
        refunded.StatusCode.ShouldBe(HttpStatusCode.OK, await refunded.Content.ReadAsStringAsync(Cancel));
        (await refunded.Content.ReadFromJsonAsync<StreamVersion>(ClinicApp.Json, Cancel))!.Version.ShouldBe(3);
        (await admin.PostAsJsonAsync(refunds, new { expectedVersion = 2, amountPence = 2500, reason = "Session cut short by a fire alarm" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var issued = (await Scenarios.Events(app, payment.PaymentId)).Single(e => e.Data is RefundIssued);
        ((RefundIssued)issued.Data).Reason.Value.ShouldBe("by the clinic: Session cut short by a fire alarm");
        issued.Headers!["role"].ToString().ShouldBe("admin");
        (await app.Store.LightweightSession().LoadAsync<Payment>(payment.PaymentId, Cancel))!.RefundedPence.ShouldBe(2500);
    }

    [Fact]
    public async Task a_payment_after_the_hold_lapsed_confirms_a_free_time_and_is_refunded_at_once_when_the_time_was_taken()
    {
        // A clinic of its own, whose clock moves past the holds without waiting for them.
        await using var clinic = new ClinicApp(null, new Dictionary<string, string>(), ownsDatabase: true);
        await clinic.InitializeAsync();
        var therapist = await BookableTherapist(clinic, feePence: 8000);
        using var early = await AsNewPatient(clinic);
        using var late = await AsNewPatient(clinic);
        using var other = await AsNewPatient(clinic);
        var freeTime = await Booked(early, therapist.Id, LondonInDays(clinic, 6, 10));
        var takenStart = LondonInDays(clinic, 6, 14);
        var takenTime = await Booked(late, therapist.Id, takenStart);
        var freePayment = await Pay(early, freeTime);
        var takenPayment = await Pay(late, takenTime);

        clinic.Clock.Offset += TimeSpan.FromMinutes(20);
        await using (var scope = clinic.Services.CreateAsyncScope())
        {
            // The lapse Wolverine has scheduled for later, handled now.
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new ExpireHold(takenTime.AppointmentId), Cancel);
        }

        (await Booked(other, therapist.Id, takenStart)).Status.ShouldBe(AppointmentStatus.Held);

        (await ConfirmOn(clinic, freePayment, "pm_card_visa")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ConfirmOn(clinic, takenPayment, "pm_card_visa")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Eventually(async () => (await Scenarios.Events(clinic, freeTime.AppointmentId)).Any(e => e.Data is LapsedHoldPaid));
        (await early.GetFromJsonAsync<AppointmentView>($"/api/appointments/{freeTime.AppointmentId}", ClinicApp.Json, Cancel))!.Status
            .ShouldBe(AppointmentStatus.Confirmed);

        await Eventually(async () => (await clinic.Store.LightweightSession().LoadAsync<Payment>(takenPayment.PaymentId, Cancel))!.RefundedPence == 8000);
        (await Scenarios.Events(clinic, takenTime.AppointmentId)).Select(e => e.Data).ShouldNotContain(e => e is LapsedHoldPaid);
        (await late.GetFromJsonAsync<AppointmentView>($"/api/appointments/{takenTime.AppointmentId}", ClinicApp.Json, Cancel))!.Status
            .ShouldBe(AppointmentStatus.HoldExpired);
    }

    private static async Task<PaymentSession> Pay(HttpClient patient, BookedAppointment booked)
    {
        var paying = await patient.PostAsync($"/api/appointments/{booked.AppointmentId}/payment", null, Cancel);
        paying.StatusCode.ShouldBe(HttpStatusCode.Created, await paying.Content.ReadAsStringAsync(Cancel));
        return (await paying.Content.ReadFromJsonAsync<PaymentSession>(ClinicApp.Json, Cancel))!;
    }

    private static async Task<HttpResponseMessage> ConfirmOn(ClinicApp clinic, PaymentSession payment, string paymentMethod)
    {
        using var stripe = new HttpClient();
        stripe.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", payment.PublishableKey);
        return await stripe.PostAsync($"{clinic.StripeUrl}/v1/payment_intents/{payment.IntentId}/confirm",
            new FormUrlEncodedContent([new("payment_method", paymentMethod)]), Cancel);
    }

    private async Task<(HttpClient Patient, BookedAppointment Booked)> HeldSession()
    {
        var (patient, booked, _) = await HeldSessionWith();
        return (patient, booked);
    }

    private async Task<(HttpClient Patient, BookedAppointment Booked, Scenarios.TherapistAccount Therapist)> HeldSessionWith()
    {
        var therapist = await BookableTherapist(app, feePence: 7500);
        var patient = await AsNewPatient(app);
        var booked = await Booked(patient, therapist.Id, LondonInDays(app, 6, 9 + Random.Shared.Next(0, 8)));
        booked.Status.ShouldBe(AppointmentStatus.Held);
        return (patient, booked, therapist);
    }



    /// <summary>What Stripe.js does on the payer's device: confirm the intent with the publishable key and a payment method.</summary>
    private Task<HttpResponseMessage> ConfirmWithStripe(PaymentSession payment, string paymentMethod) => ConfirmOn(app, payment, paymentMethod);

    private async Task<JsonObject[]> StripeEvents()
    {
        using var stripe = new HttpClient();
        return JsonNode.Parse(await stripe.GetStringAsync($"{app.StripeUrl}/_fake/events", Cancel))!.AsArray().Select(e => e!.AsObject()).ToArray();
    }

    private static string IntentOf(JsonObject e) => e["data"]!["object"]!["id"]!.GetValue<string>();

    private async Task<HttpStatusCode> Deliver(
        string payload, string? secret = null, DateTimeOffset? at = null, string? signature = null, Func<string, string>? tamper = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe")
        {
            Content = new StringContent(tamper?.Invoke(payload) ?? payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Stripe-Signature",
            signature ?? FakeStripe.FakeStripeServer.Sign(payload, secret ?? app.StripeOptions.WebhookSecret, at ?? DateTimeOffset.UtcNow));
        return (await app.Anonymous().SendAsync(request, Cancel)).StatusCode;
    }

    private static async Task<AppointmentView> Appointment(HttpClient patient, BookedAppointment booked) =>
        (await patient.GetFromJsonAsync<AppointmentView>($"/api/appointments/{booked.AppointmentId}", ClinicApp.Json, Cancel))!;
}
