using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Therapists.Suspension;

namespace EventSourcedClinic.Domain.Tests;

/// <summary>The one fold of ADR 0012: an aggregate's Create and Apply methods, found once, used by the store and by replays.</summary>
public class FoldTests
{
    [Fact]
    public void the_events_an_aggregate_folds_are_its_create_and_apply_parameters()
    {
        Fold<Appointment>.EventTypes.ShouldContain(typeof(AppointmentHeld));
        Fold<Appointment>.EventTypes.ShouldContain(typeof(AppointmentCancelled));
        Fold<Appointment>.EventTypes.ShouldContain(typeof(Domain.Scheduling.Reminders.ReminderSent));
        Fold<Appointment>.EventTypes.ShouldNotContain(typeof(TherapistSuspended));
    }

    [Fact]
    public void a_stream_cannot_start_with_an_event_that_does_not_create_it()
    {
        Should.Throw<InvalidOperationException>(() => Fold<Appointment>.Next(null, new AppointmentConfirmed(Guid.NewGuid(), Funding.SelfPay, "ref", DateTimeOffset.UnixEpoch)))
            .Message.ShouldContain("cannot start with AppointmentConfirmed");
    }

    [Fact]
    public void an_event_the_aggregate_does_not_know_is_refused_not_ignored()
    {
        var held = Fold<Appointment>.Next(null, new AppointmentHeld(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch.AddMinutes(50), 9000, Funding.SelfPay, DateTimeOffset.UnixEpoch.AddMinutes(-10), DateTimeOffset.UnixEpoch.AddMinutes(-25)));
        held.Status.ShouldBe(AppointmentStatus.Held);
        Should.Throw<InvalidOperationException>(() => Fold<Appointment>.Next(held, new TherapistReinstated(held.TherapistId, "appeal upheld", DateTimeOffset.UnixEpoch)))
            .Message.ShouldContain("has no event TherapistReinstated");
    }
}
