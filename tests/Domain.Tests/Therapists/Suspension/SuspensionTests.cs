using EventSourcedClinic.Domain.Therapists.Profile;
using EventSourcedClinic.Domain.Therapists.Suspension;
using EventSourcedClinic.Domain.Therapists.Verification;

namespace EventSourcedClinic.Domain.Tests.Therapists.Suspension;

public class SuspensionTests
{
    private static readonly DateTimeOffset Now = TherapistFixtures.Now;

    [Fact]
    public void a_suspended_therapist_is_not_bookable_until_reinstated()
    {
        var therapist = TherapistFixtures.Given(TherapistFixtures.Registered(),
            new TherapistRegistrationVerified(Guid.Empty, "HCPC", Now),
            new TherapistFeeSet(Guid.Empty, 6000, 50, Now));
        therapist.IsBookable.ShouldBeTrue();

        var suspended = SuspendTherapist.Decide(therapist, new SuspendTherapist(3, "complaint under review"), Now);
        var afterSuspension = TherapistFixtures.Given(therapist, suspended.Events.ToArray());
        afterSuspension.IsBookable.ShouldBeFalse();

        var reinstated = ReinstateTherapist.Decide(afterSuspension, new ReinstateTherapist(4, "complaint closed"), Now);
        TherapistFixtures.Given(afterSuspension, reinstated.Events.ToArray()).IsBookable.ShouldBeTrue();
    }

    [Fact]
    public void suspending_a_suspended_therapist_is_a_conflict()
    {
        var therapist = TherapistFixtures.Given(TherapistFixtures.Registered(), new TherapistSuspended(Guid.Empty, "x", Now));

        SuspendTherapist.Decide(therapist, new SuspendTherapist(2, "again"), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("already-suspended");
    }

    [Fact]
    public void reinstating_an_active_therapist_is_a_conflict()
    {
        var therapist = TherapistFixtures.Registered();

        ReinstateTherapist.Decide(therapist, new ReinstateTherapist(1, "why"), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("not-suspended");
    }

    [Fact]
    public void an_unverified_therapist_is_not_bookable()
    {
        var therapist = TherapistFixtures.Given(TherapistFixtures.Registered(), new TherapistFeeSet(Guid.Empty, 6000, 50, Now));

        therapist.IsBookable.ShouldBeFalse();
    }
}
