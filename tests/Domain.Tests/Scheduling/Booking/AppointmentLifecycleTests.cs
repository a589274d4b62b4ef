using EventSourcedClinic.Domain.Scheduling.Booking;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Scheduling.Booking;

public class AppointmentLifecycleTests
{
    private static readonly DateTimeOffset Now = London(2027, 3, 1, 9);
    private static readonly DateTimeOffset Start = London(2027, 3, 3, 10);
    private static readonly CancellationPolicy Policy = new();

    [Fact]
    public void a_hold_is_confirmed_by_payment_before_it_lapses_but_not_after()
    {
        var held = Held(Start, Now);

        ConfirmAppointment.Decide(held, new ConfirmAppointment(1, "pi_123"), Now.AddMinutes(5)).Events
            .ShouldHaveSingleItem().ShouldBeOfType<AppointmentConfirmed>().Reference.ShouldBe("pi_123");
        ConfirmAppointment.Decide(held, new ConfirmAppointment(1, "pi_123"), Now.AddMinutes(20))
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("hold-expired");
    }

    [Fact]
    public void confirming_twice_is_a_conflict()
    {
        ConfirmAppointment.Decide(Confirmed(Start, Now), new ConfirmAppointment(2, "again"), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("already-confirmed");
    }

    [Fact]
    public void a_lapsed_hold_expires_and_a_confirmed_one_is_left_alone()
    {
        ExpireHold.Decide(Held(Start, Now), Now.AddMinutes(15)).Events.ShouldHaveSingleItem().ShouldBeOfType<HoldExpired>();
        ExpireHold.Decide(Held(Start, Now), Now.AddMinutes(14)).Events.ShouldBeEmpty();
        ExpireHold.Decide(Confirmed(Start, Now), Now.AddMinutes(15)).Events.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(CancelledBy.Patient, 48, FeeOutcome.FullRefund, 6000)]
    [InlineData(CancelledBy.Patient, 23, FeeOutcome.FeeForfeited, 0)]
    [InlineData(CancelledBy.Therapist, 2, FeeOutcome.FullRefund, 6000)]
    [InlineData(CancelledBy.Clinic, 1, FeeOutcome.FullRefund, 6000)]
    public void cancelling_a_paid_session_follows_the_policy(CancelledBy by, int hoursBefore, FeeOutcome outcome, int refund)
    {
        var cancelled = CancelAppointment.Decide(Confirmed(Start, Now), new CancelAppointment(2, " unwell "), by, Policy, Start.AddHours(-hoursBefore))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<AppointmentCancelled>();

        cancelled.FeeOutcome.ShouldBe(outcome);
        cancelled.RefundPence.ShouldBe(refund);
        cancelled.Reason.Value.ShouldBe("unwell");
        cancelled.CancelledBy.ShouldBe(by);
    }

    [Fact]
    public void cancelling_an_unpaid_hold_or_an_nhs_session_charges_nothing()
    {
        CancelAppointment.Decide(Held(Start, Now), new CancelAppointment(1, "x"), CancelledBy.Patient, Policy, Start.AddHours(-1))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<AppointmentCancelled>().FeeOutcome.ShouldBe(FeeOutcome.NothingCharged);
        CancelAppointment.Decide(Confirmed(Start, Now, 0, Funding.Nhs), new CancelAppointment(2, "x"), CancelledBy.Patient, Policy, Start.AddHours(-1))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<AppointmentCancelled>().FeeOutcome.ShouldBe(FeeOutcome.NothingCharged);
    }

    [Fact]
    public void a_cancelled_appointment_cannot_be_cancelled_again()
    {
        var cancelled = Confirmed(Start, Now).When(new AppointmentCancelled(Guid.Empty, CancelledBy.Patient, PersonalText.Of(Guid.CreateVersion7(), "x"), FeeOutcome.FullRefund, 6000, Now));

        CancelAppointment.Decide(cancelled, new CancelAppointment(3, "again"), CancelledBy.Patient, Policy, Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("not-cancellable");
    }

    [Fact]
    public void rescheduling_moves_to_another_slot_keeping_the_length()
    {
        var newStart = London(2027, 3, 4, 14);

        var moved = RescheduleAppointment.Decide(Confirmed(Start, Now), new RescheduleAppointment(2, newStart), CancelledBy.Patient,
            Terms(), Weekdays(), Policy, Now).Events.ShouldHaveSingleItem().ShouldBeOfType<AppointmentRescheduled>();

        moved.OldStart.ShouldBe(Start);
        moved.NewStart.ShouldBe(newStart);
        moved.NewEnd.ShouldBe(newStart.AddMinutes(50));
    }

    [Fact]
    public void rescheduling_to_a_time_off_the_grid_or_late_by_the_patient_is_refused()
    {
        RescheduleAppointment.Decide(Confirmed(Start, Now), new RescheduleAppointment(2, London(2027, 3, 4, 14, 30)), CancelledBy.Patient,
            Terms(), Weekdays(), Policy, Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("outside-availability");
        RescheduleAppointment.Decide(Confirmed(Start, Now), new RescheduleAppointment(2, London(2027, 3, 5, 14)), CancelledBy.Patient,
            Terms(), Weekdays(), Policy, Start.AddHours(-3)).Rejection.ShouldNotBeNull().Rule.ShouldBe("late-reschedule");
        RescheduleAppointment.Decide(Confirmed(Start, Now), new RescheduleAppointment(2, London(2027, 3, 5, 14)), CancelledBy.Therapist,
            Terms(), Weekdays(), Policy, Start.AddHours(-3)).IsAccepted.ShouldBeTrue();
    }

    [Fact]
    public void a_session_opens_fifteen_minutes_early_then_completes()
    {
        var confirmed = Confirmed(Start, Now);

        StartSession.Decide(confirmed, new StartSession(2), Start.AddMinutes(-16)).Rejection.ShouldNotBeNull().Rule.ShouldBe("too-early");
        var started = Fold<Appointment>.Next(confirmed, StartSession.Decide(confirmed, new StartSession(2), Start.AddMinutes(-15)).Events.Single());
        started.Status.ShouldBe(AppointmentStatus.Started);
        CompleteSession.Decide(started, new CompleteSession(3), Start.AddMinutes(50)).Events.ShouldHaveSingleItem().ShouldBeOfType<SessionCompleted>();
        CompleteSession.Decide(confirmed, new CompleteSession(2), Start).Rejection.ShouldNotBeNull().Rule.ShouldBe("not-started");
    }

    [Fact]
    public void non_attendance_is_recorded_only_after_the_start()
    {
        var confirmed = Confirmed(Start, Now);

        RecordNonAttendance.Decide(confirmed, new RecordNonAttendance(2), Start.AddMinutes(-1)).Rejection.ShouldNotBeNull().Rule.ShouldBe("not-yet");
        RecordNonAttendance.Decide(confirmed, new RecordNonAttendance(2), Start.AddMinutes(20)).Events.ShouldHaveSingleItem().ShouldBeOfType<PatientDidNotAttend>();
    }
}
