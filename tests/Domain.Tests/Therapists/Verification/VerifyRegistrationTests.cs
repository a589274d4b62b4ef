using EventSourcedClinic.Domain.Therapists.Verification;

namespace EventSourcedClinic.Domain.Tests.Therapists.Verification;

public class VerifyRegistrationTests
{
    [Fact]
    public void verifying_an_unverified_therapist_records_what_was_checked()
    {
        var therapist = TherapistFixtures.Registered();
        var decision = VerifyRegistration.Decide(therapist, new VerifyRegistration(1, " HCPC register "), TherapistFixtures.Now);

        decision.Events.ShouldHaveSingleItem()
            .ShouldBe(new TherapistRegistrationVerified(therapist.Id, "HCPC register", TherapistFixtures.Now));
    }

    [Fact]
    public void verifying_twice_is_a_conflict()
    {
        var therapist = TherapistFixtures.Given(TherapistFixtures.Registered(),
            new TherapistRegistrationVerified(Guid.Empty, "HCPC register", TherapistFixtures.Now));

        var decision = VerifyRegistration.Decide(therapist, new VerifyRegistration(2, "again"), TherapistFixtures.Now);

        decision.Rejection.ShouldNotBeNull().Kind.ShouldBe(RejectionKind.Conflict);
    }
}
