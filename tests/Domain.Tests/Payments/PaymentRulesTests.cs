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
}
