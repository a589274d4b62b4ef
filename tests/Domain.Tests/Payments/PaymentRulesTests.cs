using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Domain.Scheduling.Booking;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Payments;

public class PaymentRulesTests
{
    private static readonly DateTimeOffset Now = London(2027, 3, 1, 9);
    private static readonly DateTimeOffset Start = London(2027, 3, 3, 10);

    private static Payment Requested(Appointment held) =>
        Fold<Payment>.All(RequestPayment.Decide(held, held.PatientId, "pi_1", "gbp", Now).Events)!;

    [Fact]
    public void the_amount_is_the_fee_on_the_hold_and_only_its_patient_pays_for_a_held_self_pay_session()
    {
        var held = Held(Start, Now, fee: 7000);
        Requested(held).AmountPence.ShouldBe(7000);
        RequestPayment.Decide(held, Guid.NewGuid(), "pi_1", "gbp", Now).Rejection!.Kind.ShouldBe(RejectionKind.NotFound);
        RequestPayment.Decide(Held(Start, Now, funding: Funding.Nhs), held.PatientId, "pi_1", "gbp", Now).Rejection.ShouldNotBeNull();
        RequestPayment.Decide(held, held.PatientId, "pi_1", "gbp", held.HoldExpiresAt).Rejection!.Rule.ShouldBe("hold-expired");
        RequestPayment.Decide(Confirmed(Start, Now), Confirmed(Start, Now).PatientId, "pi_1", "gbp", Now).Rejection.ShouldNotBeNull();
    }

    [Fact]
    public void each_processor_event_settles_once_and_a_short_payment_settles_nothing()
    {
        var payment = Requested(Held(Start, Now, fee: 7000));
        var paid = SettlePayment.Decide(payment, "evt_1", "pi_1", succeeded: true, 7000, null, Now).Events.ShouldHaveSingleItem().ShouldBeOfType<PaymentSucceeded>();
        var settled = Fold<Payment>.Next(payment, paid);
        settled.Status.ShouldBe(PaymentStatus.Succeeded);
        SettlePayment.Decide(settled, "evt_1", "pi_1", succeeded: true, 7000, null, Now).Events.ShouldBeEmpty();
        SettlePayment.Decide(settled, "evt_2", "pi_1", succeeded: true, 7000, null, Now).Events.ShouldBeEmpty();
        SettlePayment.Decide(settled, "evt_3", "pi_1", succeeded: false, 0, "card_declined", Now).Events.ShouldBeEmpty();
        SettlePayment.Decide(payment, "evt_4", "pi_1", succeeded: true, 6999, null, Now).Rejection!.Rule.ShouldBe("short-payment");
    }

    [Fact]
    public void a_refund_is_of_a_paid_payment_never_more_than_is_left_and_each_stripe_refund_once()
    {
        var payment = Requested(Held(Start, Now, fee: 7000));
        IssueRefund.Decide(payment, "re_1", 7000, "x", Now).Rejection!.Rule.ShouldBe("not-paid");
        var paid = Fold<Payment>.Next(payment, new PaymentSucceeded(payment.Id, "pi_1", "evt_1", 7000, Now));
        var refunded = Fold<Payment>.All(IssueRefund.Decide(paid, "re_1", 3000, "partial", Now).Events, paid)!;
        refunded.RefundedPence.ShouldBe(3000);
        IssueRefund.Decide(refunded, "re_1", 3000, "partial", Now).Events.ShouldBeEmpty();
        IssueRefund.Decide(refunded, "re_2", 4001, "too much", Now).Rejection!.Rule.ShouldBe("refund-amount");
        IssueRefund.Decide(refunded, "re_2", 4000, "the rest", Now).Events.ShouldHaveSingleItem();
    }

    private static Payment Paid(int fee = 7000)
    {
        var payment = Requested(Held(Start, Now, fee: fee));
        return Fold<Payment>.All(SettlePayment.Decide(payment, "evt_paid", "pi_1", succeeded: true, fee, null, Now, "ch_1", Now).Events, payment)!;
    }

    [Fact]
    public void a_second_intent_that_also_took_the_money_is_a_duplicate_refunded_apart_from_the_payment()
    {
        var paid = Paid();
        var duplicate = SettlePayment.Decide(paid, "evt_2", "pi_2", succeeded: true, 7000, null, Now, "ch_2", Now).Events.ShouldHaveSingleItem()
            .ShouldBeOfType<DuplicatePaymentReceived>();
        var twice = Fold<Payment>.Next(paid, duplicate);
        SettlePayment.Decide(twice, "evt_3", "pi_2", succeeded: true, 7000, null, Now).Events.ShouldBeEmpty();
        var refunded = Fold<Payment>.All(IssueRefund.Decide(twice, "re_1", 7000, "paid twice", Now, Now, "pi_2").Events, twice)!;
        refunded.RefundedPence.ShouldBe(0);
        refunded.KeptPence.ShouldBe(7000);
        IssueRefund.Decide(twice, "re_2", 7001, "paid twice", Now, Now, "pi_2").Rejection.ShouldNotBeNull();
        IssueRefund.Decide(twice, "re_3", 100, "which?", Now, Now, "pi_unknown").Rejection.ShouldNotBeNull();
    }

    [Theory]
    [InlineData(7000, 0, 20, 1400)]
    [InlineData(7000, 2000, 20, 1000)]
    [InlineData(3333, 0, 12.5, 417)]
    public void what_is_left_of_a_payment_is_earned_once_the_clinic_keeping_its_commission_rounded_to_the_penny(int fee, int refunded, decimal percent, int commission)
    {
        var paid = Paid(fee);
        if (refunded > 0)
        {
            paid = Fold<Payment>.All(IssueRefund.Decide(paid, "re_1", refunded, "part", Now).Events, paid)!;
        }

        var earned = EarnSessionFee.Decide(paid, Start, percent, Now).Events.ShouldHaveSingleItem().ShouldBeOfType<SessionFeeEarned>();
        (earned.EarnedPence, earned.CommissionPence, earned.TherapistSharePence).ShouldBe((fee - refunded, commission, fee - refunded - commission));
        EarnSessionFee.Decide(Fold<Payment>.Next(paid, earned), Start, percent, Now).Events.ShouldBeEmpty();
    }

    [Fact]
    public void the_therapist_is_paid_only_after_the_session_only_once_and_not_while_the_payment_is_disputed()
    {
        var paid = Paid();
        TransferEarnings.Due(paid).ShouldBeNull();
        EarnSessionFee.Decide(Requested(Held(Start, Now)), Start, 20, Now).Events.ShouldBeEmpty();
        var earned = Fold<Payment>.All(EarnSessionFee.Decide(paid, Start, 20, Now).Events, paid)!;
        TransferEarnings.Due(earned).ShouldBe(5600);
        TransferEarnings.Decide(earned, "acct_1", "tr_1", 5000, Now, Now).Rejection!.Rule.ShouldBe("not-due");
        var transferred = Fold<Payment>.All(TransferEarnings.Decide(earned, "acct_1", "tr_1", 5600, Now, Now).Events, earned)!;
        TransferEarnings.Due(transferred).ShouldBeNull();
        TransferEarnings.Decide(transferred, "acct_1", "tr_2", 5600, Now, Now).Events.ShouldBeEmpty();

        var disputed = Fold<Payment>.All(RecordDispute.Decide(earned, "dp_1", 7000, "fraudulent", "evt_d", Now, Now).Events, earned)!;
        TransferEarnings.Due(disputed).ShouldBeNull();
        RecordDispute.Decide(disputed, "dp_1", 7000, "fraudulent", "evt_d2", Now, Now).Events.ShouldBeEmpty();
        EarnSessionFee.Decide(Fold<Payment>.All(RecordDispute.Decide(paid, "dp_1", 7000, "fraudulent", "evt_d", Now, Now).Events, paid)!, Start, 20, Now)
            .Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_payout_account_takes_money_once_stripe_says_onboarding_is_done_each_report_applied_once()
    {
        var therapistId = Guid.NewGuid();
        var opened = Fold<PayoutAccount>.All(OpenPayoutAccount.Decide(null, therapistId, "acct_1", Now).Events)!;
        opened.Ready.ShouldBeFalse();
        OpenPayoutAccount.Decide(opened, therapistId, "acct_2", Now).Events.ShouldBeEmpty();
        UpdatePayoutAccount.Decide(opened, "evt_1", false, false, false, Now).Events.ShouldBeEmpty();
        var ready = Fold<PayoutAccount>.All(UpdatePayoutAccount.Decide(opened, "evt_2", true, true, true, Now).Events, opened)!;
        ready.Ready.ShouldBeTrue();
        UpdatePayoutAccount.Decide(ready, "evt_2", false, false, false, Now).Events.ShouldBeEmpty();
    }
}
