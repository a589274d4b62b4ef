using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using EventSourcedClinic.Api.Billing;
using EventSourcedClinic.Api.Payments.Payouts;
using EventSourcedClinic.Domain;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using Microsoft.Extensions.DependencyInjection;
using static EventSourcedClinic.Api.Tests.Payments.StripeScenarios;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Payments;

/// <summary>
/// The money's whole journey in a clinic of its own (its own Stripe, its own clock): paid on the hosted page, refunded
/// when cancelled in time, refunded in Stripe's dashboard, disputed; the therapist onboarded to Stripe Connect and paid
/// their share once the session is completed, not before; the ledger reconciled with Stripe's balance with no
/// difference, and a movement made behind the clinic's back found.
/// </summary>
public class BillingJourneyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_paid_session_pays_the_therapist_after_it_is_completed_and_the_ledger_reconciles_with_stripe()
    {
        await using var app = new ClinicApp(null, new Dictionary<string, string> { ["Payments:Billing:NightlyReconciliation"] = "false" }, ownsDatabase: true);
        await app.InitializeAsync();
        var therapist = await BookableTherapist(app, feePence: 8000);
        var payer = await PatientAccounts.Register(app);
        var patient = app.As(await app.PasswordToken(payer.Email, payer.Password));
        using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));

        // Paid on the hosted page: the session is confirmed, and nothing is owed to the therapist before it takes place.
        var start = LondonInDays(app, 2, 10);
        var held = await Booked(patient, therapist.Id, start);
        var checkout = await PayOnCheckout(patient, held);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(checkout.PaymentId, Cancel))?.Status == PaymentStatus.Succeeded);
        var before = (await asTherapist.GetFromJsonAsync<EarningsView>($"/api/therapists/{therapist.Id}/earnings", ClinicApp.Json, Cancel))!;
        before.PayoutAccount.ShouldBe("not-set-up");
        before.Sessions.ShouldHaveSingleItem().Status.ShouldBe("upcoming");

        // Another, cancelled in time: refunded whole, by the clinic.
        var cancelledHold = await Booked(patient, therapist.Id, LondonInDays(app, 3, 11));
        var cancelledPayment = await PayOnCheckout(patient, cancelledHold);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(cancelledPayment.PaymentId, Cancel))?.Status == PaymentStatus.Succeeded);
        (await patient.PostAsJsonAsync($"/api/appointments/{cancelledHold.AppointmentId}/cancellation", new { expectedVersion = 2, reason = "Plans changed" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(cancelledPayment.PaymentId, Cancel))!.RefundedPence == 8000);

        // The therapist sets up payouts: Stripe's onboarding, then account.updated says the account can take money.
        (await asTherapist.PostAsJsonAsync($"/api/therapists/{therapist.Id}/payout-account", new { returnUrl = "ftp://x", refreshUrl = "https://app.example/r" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var stranger = await AsNewPatient(app);
        (await stranger.PostAsJsonAsync($"/api/therapists/{therapist.Id}/payout-account", new { returnUrl = "https://a.example", refreshUrl = "https://a.example" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var onboarding = await asTherapist.PostAsJsonAsync($"/api/therapists/{therapist.Id}/payout-account",
            new { returnUrl = "https://app.example/payouts/done", refreshUrl = "https://app.example/payouts/again" }, Cancel);
        onboarding.StatusCode.ShouldBe(HttpStatusCode.OK, await onboarding.Content.ReadAsStringAsync(Cancel));
        var link = (await onboarding.Content.ReadFromJsonAsync<PayoutOnboarding>(ClinicApp.Json, Cancel))!;
        link.Ready.ShouldBeFalse();
        (await asTherapist.PostAsync($"/api/therapists/{therapist.Id}/payout-account/dashboard-link", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await FinishOnboarding(link.OnboardingUrl);
        await Eventually(async () => (await asTherapist.GetFromJsonAsync<PayoutAccountView>($"/api/therapists/{therapist.Id}/payout-account", ClinicApp.Json, Cancel))!.Ready);
        var again = (await (await asTherapist.PostAsJsonAsync($"/api/therapists/{therapist.Id}/payout-account",
            new { returnUrl = "https://app.example/payouts/done", refreshUrl = "https://app.example/payouts/again" }, Cancel))
            .Content.ReadFromJsonAsync<PayoutOnboarding>(ClinicApp.Json, Cancel))!;
        again.AccountId.ShouldBe(link.AccountId);
        (await asTherapist.PostAsync($"/api/therapists/{therapist.Id}/payout-account/dashboard-link", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Get(app, "/_fake/balance_transactions")).AsArray().ShouldNotContain(t => t!["type"]!.GetValue<string>() == "transfer");

        // The session takes place: the clinic keeps its 20% and transfers the rest, once.
        app.Clock.Offset += start.AddMinutes(1) - app.Clock.GetUtcNow();
        using var therapistNow = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
        (await therapistNow.PostAsJsonAsync($"/api/appointments/{held.AppointmentId}/start", new { expectedVersion = 2 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await therapistNow.PostAsJsonAsync($"/api/appointments/{held.AppointmentId}/completion", new { expectedVersion = 3 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(checkout.PaymentId, Cancel))!.Transfer is not null, "the therapist was not paid");
        var earnings = (await therapistNow.GetFromJsonAsync<EarningsView>(
            $"/api/therapists/{therapist.Id}/earnings?from={UkTime.Today(start):yyyy-MM-01}", ClinicApp.Json, Cancel))!;
        var paidSession = earnings.Sessions.Single(s => s.AppointmentId == held.AppointmentId);
        paidSession.Status.ShouldBe("transferred");
        paidSession.CommissionPence.ShouldBe(1600);
        paidSession.TransferredPence.ShouldBe(6400);
        earnings.TransferredPence.ShouldBe(6400);
        earnings.OwedPence.ShouldBe(0);
        earnings.Sessions.ShouldNotContain(s => s.AppointmentId == cancelledHold.AppointmentId);
        var transfers = (await Get(app, "/_fake/balance_transactions")).AsArray().Where(t => t!["type"]!.GetValue<string>() == "transfer").ToArray();
        transfers.ShouldHaveSingleItem()!["amount"]!.GetValue<long>().ShouldBe(-6400);

        // Handled again (a redelivery), nothing more moves.
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new PayTherapist(checkout.PaymentId), Cancel);
        }

        (await Get(app, "/_fake/balance_transactions")).AsArray().Count(t => t!["type"]!.GetValue<string>() == "transfer").ShouldBe(1);

        // A third session (signed in again: the clock has moved on), paid, then part-refunded in Stripe's dashboard and disputed by the payer's bank.
        patient.Dispose();
        patient = app.As(await app.PasswordToken(payer.Email, payer.Password));
        var third = await Booked(patient, therapist.Id, LondonInDays(app, 4, 12));
        var thirdPayment = await PayOnCheckout(patient, third);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(thirdPayment.PaymentId, Cancel))?.Status == PaymentStatus.Succeeded);
        var thirdIntent = (await app.Store.LightweightSession().LoadAsync<Payment>(thirdPayment.PaymentId, Cancel))!.IntentId;
        (await Post(app, "/v1/refunds", [new("payment_intent", thirdIntent), new("amount", "1000")])).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(thirdPayment.PaymentId, Cancel))!.RefundedPence == 1000,
            "the dashboard refund was not recorded");
        (await Post(app, $"/_fake/disputes?paymentIntent={thirdIntent}", [])).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(thirdPayment.PaymentId, Cancel))!.DisputedPence == 7000,
            "the dispute was not recorded");

        // The ledger by therapist and by day; and the day reconciled with Stripe's balance: no difference.
        using var admin = app.As(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword));
        var ledger = (await admin.GetFromJsonAsync<LedgerView>(
            $"/api/billing/ledger?from={UkTime.Today(app.Clock.GetUtcNow()).AddDays(-7):yyyy-MM-dd}&to={UkTime.Today(app.Clock.GetUtcNow()).AddDays(1):yyyy-MM-dd}&by=therapist",
            ClinicApp.Json, Cancel))!;
        var line = ledger.Lines.ShouldHaveSingleItem();
        line.Key.ShouldBe(therapist.Id.ToString());
        (line.ChargedPence, line.RefundedPence, line.DisputedPence, line.TransferredPence, line.CommissionPence).ShouldBe((24000, 9000, 7000, 6400, 1600));
        line.NetPence.ShouldBe(24000 - 9000 - 7000 - 6400);
        (await admin.GetAsync("/api/billing/ledger?by=week", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var reconciled = await admin.PostAsync($"/api/billing/reconciliations/{today}", null, Cancel);
        reconciled.StatusCode.ShouldBe(HttpStatusCode.OK, await reconciled.Content.ReadAsStringAsync(Cancel));
        var report = (await reconciled.Content.ReadFromJsonAsync<ReconciliationReport>(ClinicApp.Json, Cancel))!;
        report.Differences.ShouldBeEmpty();
        report.Balanced.ShouldBeTrue();
        report.LedgerEntries.ShouldBe(7); // three charges, two refunds, a transfer, a dispute
        report.StripeNetPence.ShouldBe(report.LedgerNetPence);

        // A charge made at Stripe behind the clinic's back is found.
        var rogue = JsonNode(await (await Post(app, "/v1/payment_intents", [new("amount", "4200"), new("currency", "gbp")])).Content.ReadAsStringAsync(Cancel));
        (await Post(app, $"/v1/payment_intents/{rogue["id"]}/confirm", [new("payment_method", "pm_card_visa")])).StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = (await (await admin.PostAsync($"/api/billing/reconciliations/{today}", null, Cancel)).Content.ReadFromJsonAsync<ReconciliationReport>(ClinicApp.Json, Cancel))!;
        var difference = second.Differences.ShouldHaveSingleItem();
        (difference.Kind, difference.StripePence).ShouldBe(("missing-in-ledger", 4200L));
        (await admin.GetFromJsonAsync<ReconciliationReport>($"/api/billing/reconciliations/{today}", ClinicApp.Json, Cancel))!.Differences.Length.ShouldBe(1);
        (await admin.PostAsync("/api/billing/reconciliations/2026-13-45", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await therapistNow.GetAsync($"/api/billing/ledger", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task nhs_funded_sessions_never_touch_stripe_and_are_listed_monthly_for_each_commissioner_and_the_nightly_reconciliation_keeps_its_report()
    {
        await using var app = new ClinicApp(null, new Dictionary<string, string> { ["Payments:Billing:NightlyReconciliation"] = "false" }, ownsDatabase: true);
        await app.InitializeAsync();
        var therapist = await BookableTherapist(app);
        var referred = await PatientAccounts.Register(app);
        var unreferred = await PatientAccounts.Register(app);
        var admin = app.As(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword));
        var referral = await admin.PostAsJsonAsync($"/api/patients/{referred.Id}/referrals",
            new { source = "generalPractitioner", presentingProblem = "Low mood", referrerOdsCode = "a81001" }, Cancel);
        referral.StatusCode.ShouldBe(HttpStatusCode.Created, await referral.Content.ReadAsStringAsync(Cancel));
        var sessions = new List<(Guid Id, DateTimeOffset Start)>();
        foreach (var (patientId, hour) in new[] { (referred.Id, 10), (unreferred.Id, 12), (referred.Id, 14) })
        {
            var start = LondonInDays(app, 2, hour);
            var booked = await Book(admin, therapist.Id, start, new { therapistId = therapist.Id, start, patientId, funding = "nhs" });
            booked.StatusCode.ShouldBe(HttpStatusCode.Created, await booked.Content.ReadAsStringAsync(Cancel));
            sessions.Add(((await booked.Content.ReadFromJsonAsync<Api.Scheduling.Booking.BookedAppointment>(ClinicApp.Json, Cancel))!.AppointmentId, start));
        }

        // The first two are held and completed; the third the patient does not attend.
        foreach (var (id, start) in sessions)
        {
            app.Clock.Offset += start.AddMinutes(1) - app.Clock.GetUtcNow();
            using var asTherapist = app.As(await app.PasswordToken(therapist.Email, therapist.Password));
            if (id == sessions[2].Id)
            {
                (await asTherapist.PostAsJsonAsync($"/api/appointments/{id}/non-attendance", new { expectedVersion = 2 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
                continue;
            }

            (await asTherapist.PostAsJsonAsync($"/api/appointments/{id}/start", new { expectedVersion = 2 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await asTherapist.PostAsJsonAsync($"/api/appointments/{id}/completion", new { expectedVersion = 3 }, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        admin = app.As(await app.PasswordToken(ClinicApp.AdminEmail, ClinicApp.StaffPassword));
        var month = UkTime.Today(sessions[0].Start).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var statements = (await admin.GetFromJsonAsync<NhsStatement[]>($"/api/billing/nhs-statements?month={month}", ClinicApp.Json, Cancel))!;
        statements.Select(s => (s.OdsCode, s.Sessions)).ShouldBe([("A81001", 1), (NhsStatementEndpoint.UnknownCommissioner, 1)]);
        var line = statements[0].Lines.ShouldHaveSingleItem();
        line.AppointmentId.ShouldBe(sessions[0].Id);
        line.PathwayId.ShouldNotBeNull().ShouldStartWith("ESC-");
        line.Minutes.ShouldBeGreaterThan(0);
        statements[0].TotalPence.ShouldBe(statements[0].TariffPence);
        (await admin.GetAsync("/api/billing/nhs-statements?month=2026-13", Cancel)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Get(app, "/_fake/balance_transactions")).AsArray().ShouldBeEmpty();

        // The nightly job: the day's report is kept, and the next night is scheduled by the run that advanced the schedule.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(new ReconciliationSchedule { NextDate = today });
            await session.SaveChangesAsync(Cancel);
        }

        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new ReconcileBillingDay(today), Cancel);
        }

        await using var check = app.Store.QuerySession();
        (await check.LoadAsync<ReconciliationReport>(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Cancel)).ShouldNotBeNull().Balanced.ShouldBeTrue();
        (await check.LoadAsync<ReconciliationSchedule>(ReconciliationSchedule.NightlyId, Cancel))!.NextDate.ShouldBe(today.AddDays(1));
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;
}
