using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventSourcedClinic.Api.Payments;
using EventSourcedClinic.Api.Payments.Cards;
using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using static EventSourcedClinic.Api.Tests.Payments.StripeScenarios;
using static EventSourcedClinic.Api.Tests.Scheduling.SchedulingScenarios;

namespace EventSourcedClinic.Api.Tests.Payments;

/// <summary>Saved cards (Stripe customers and SetupIntents) and a session paid twice on two hosted pages.</summary>
public class SavedCardAndDuplicateTests(ClinicApp app)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_patient_saves_a_card_pays_with_it_is_told_clearly_when_one_is_declined_and_forgets_it()
    {
        var therapist = await BookableTherapist(app, feePence: 6500);
        using var patient = await AsNewPatient(app);
        var good = await SaveCard(patient, "pm_card_visa");
        var failing = await SaveCard(patient, "pm_card_chargeCustomerFail");
        var cards = (await patient.GetFromJsonAsync<SavedCardView[]>("/api/patients/me/cards", ClinicApp.Json, Cancel))!;
        cards.Select(c => (c.Brand, c.Last4)).ShouldBe([("visa", "4242"), ("visa", "0341")], ignoreOrder: true);

        // Declined when charged: a 402 with Stripe's codes, no payment recorded, and the hold stands.
        var first = await Booked(patient, therapist.Id, LondonInDays(app, 9, 10));
        var declined = await patient.PostAsJsonAsync($"/api/appointments/{first.AppointmentId}/payment/saved-card", new { cardId = failing }, Cancel);
        declined.StatusCode.ShouldBe(HttpStatusCode.PaymentRequired, await declined.Content.ReadAsStringAsync(Cancel));
        var problem = await Scenarios.Problem(declined);
        problem.GetProperty("code").GetString().ShouldBe("card_declined");
        problem.GetProperty("declineCode").GetString().ShouldBe("insufficient_funds");
        (await app.Store.LightweightSession().LoadAsync<Payment>(Payment.StreamId(first.AppointmentId), Cancel)).ShouldBeNull();

        // Paid with the good card at once; Stripe's notification confirms the session.
        var paid = await patient.PostAsJsonAsync($"/api/appointments/{first.AppointmentId}/payment/saved-card", new { cardId = good }, Cancel);
        paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync(Cancel));
        (await paid.Content.ReadFromJsonAsync<PaymentSession>(ClinicApp.Json, Cancel))!.IntentStatus.ShouldBe("succeeded");
        await Eventually(async () => (await patient.GetFromJsonAsync<AppointmentView>($"/api/appointments/{first.AppointmentId}", ClinicApp.Json, Cancel))!
            .Status == AppointmentStatus.Confirmed);

        // The receipt is in the patient's summary and in their subject access export.
        var summary = (await patient.GetFromJsonAsync<Api.Clinical.Summary.PatientSummary>("/api/patients/me/summary", ClinicApp.Json, Cancel))!;
        summary.Receipts.ShouldHaveSingleItem().AppointmentId.ShouldBe(first.AppointmentId);
        using (var export = new System.IO.Compression.ZipArchive(await patient.GetStreamAsync("/api/patients/me/export", Cancel)))
        {
            using var receipts = new StreamReader(export.GetEntry("receipts.json")!.Open());
            var exported = JsonNode.Parse(await receipts.ReadToEndAsync(Cancel))!.AsArray().ShouldHaveSingleItem()!;
            (exported["number"]!.GetValue<string>(), exported["amountPence"]!.GetValue<int>()).ShouldBe((summary.Receipts[0].Number, 6500));
            export.Entries.ShouldContain(e => e.FullName.StartsWith("streams/SavedCards/", StringComparison.Ordinal));
        }

        // Someone else's card, or no card id at all, is no way to pay.
        using var other = await AsNewPatient(app);
        var theirs = await Booked(other, therapist.Id, LondonInDays(app, 9, 14));
        (await other.PostAsJsonAsync($"/api/appointments/{theirs.AppointmentId}/payment/saved-card", new { cardId = good }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostAsJsonAsync($"/api/appointments/{theirs.AppointmentId}/payment/saved-card", new { cardId = "4242424242424242" }, Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // Forgotten: detached at Stripe, gone from the list.
        (await patient.PostAsync($"/api/patients/me/cards/{good}/removal", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await patient.PostAsync($"/api/patients/me/cards/{good}/removal", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Get(app, $"/v1/payment_methods/{good}"))["customer"].ShouldBeNull();
        (await patient.GetFromJsonAsync<SavedCardView[]>("/api/patients/me/cards", ClinicApp.Json, Cancel))!.Select(c => c.Id).ShouldBe([failing]);
    }

    [Fact]
    public async Task a_session_paid_twice_on_two_hosted_pages_gives_the_second_payment_back_whole()
    {
        var therapist = await BookableTherapist(app, feePence: 5500);
        using var patient = await AsNewPatient(app);
        var held = await Booked(patient, therapist.Id, LondonInDays(app, 10, 11));
        var first = await PayOnCheckout(patient, held, successUrl: "https://app.example/tab-one");
        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(first.PaymentId, Cancel))?.Status == PaymentStatus.Succeeded);

        // A second tab opened before the first was paid: Stripe takes the money again; the clinic gives it back.
        var opened = await patient.PostAsJsonAsync($"/api/appointments/{held.AppointmentId}/checkout",
            new { successUrl = "https://app.example/tab-two", cancelUrl = "https://app.example/not-paid" }, Cancel);
        opened.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var secondPage = await Post(app, "/v1/checkout/sessions", [
            new("mode", "payment"), new("success_url", "https://app.example/tab-two"), new("cancel_url", "https://app.example/x"),
            new("line_items[0][quantity]", "1"), new("line_items[0][price_data][currency]", "gbp"), new("line_items[0][price_data][unit_amount]", "5500"),
            new("line_items[0][price_data][product_data][name]", "Therapy session"),
            new("payment_intent_data[metadata][appointment_id]", held.AppointmentId.ToString())]);
        var url = JsonNode.Parse(await secondPage.Content.ReadAsStringAsync(Cancel))!["url"]!.GetValue<string>();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        (await browser.PostAsync(url, new FormUrlEncodedContent([new("card_number", "4242424242424242")]), Cancel)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await Eventually(async () => (await app.Store.LightweightSession().LoadAsync<Payment>(first.PaymentId, Cancel))!.Refunds.Length == 1,
            "the second payment was not refunded");
        var payment = (await app.Store.LightweightSession().LoadAsync<Payment>(first.PaymentId, Cancel))!;
        payment.RefundedPence.ShouldBe(0);
        var duplicate = payment.Duplicates.ShouldHaveSingleItem();
        duplicate.AmountPence.ShouldBe(5500);
        var refunds = (await Get(app, "/_fake/refunds")).AsArray().Where(r => r!["payment_intent"]!.GetValue<string>() == duplicate.IntentId).ToArray();
        refunds.ShouldHaveSingleItem()!["amount"]!.GetValue<long>().ShouldBe(5500);
        (await app.Store.LightweightSession().LoadAsync<Projections.Payments.PaymentLedger>(first.PaymentId, Cancel))!.Entries
            .Select(e => (e.Kind, e.AmountPence)).ShouldBe([(Projections.Payments.LedgerKind.Charge, 5500), (Projections.Payments.LedgerKind.Charge, 5500),
                (Projections.Payments.LedgerKind.Refund, -5500)]);
    }

    /// <summary>Saves a card as the patient's device would: the clinic's setup, confirmed at Stripe with the publishable key.</summary>
    private async Task<string> SaveCard(HttpClient patient, string testMethod)
    {
        var response = await patient.PostAsync("/api/patients/me/cards", null, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        var setup = (await response.Content.ReadFromJsonAsync<CardSetup>(ClinicApp.Json, Cancel))!;
        var confirmed = await Post(app, $"/v1/setup_intents/{setup.SetupIntentId}/confirm", [new("payment_method", testMethod)], setup.PublishableKey);
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var method = JsonNode.Parse(await confirmed.Content.ReadAsStringAsync(Cancel))!["payment_method"]!.GetValue<string>();
        await Eventually(async () => (await patient.GetFromJsonAsync<SavedCardView[]>("/api/patients/me/cards", ClinicApp.Json, Cancel))!.Any(c => c.Id == method));
        return method;
    }
}
