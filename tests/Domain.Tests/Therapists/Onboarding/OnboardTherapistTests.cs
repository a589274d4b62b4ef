using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Onboarding;

namespace EventSourcedClinic.Domain.Tests.Therapists.Onboarding;

public class OnboardTherapistTests
{
    private static readonly DateTimeOffset Now = TherapistFixtures.Now;

    [Fact]
    public void onboarding_registers_the_therapist_with_a_normalised_number_and_email()
    {
        var id = Guid.CreateVersion7();
        var decision = OnboardTherapist.Decide(id, new OnboardTherapist(" Dr Anna Nowak ", "Anna@Example.org", ProfessionalBody.Hcpc, "pyl 12345"), Now);

        decision.IsAccepted.ShouldBeTrue();
        decision.Events.ShouldHaveSingleItem().ShouldBe(
            new TherapistRegistered(id, "Dr Anna Nowak", "anna@example.org", ProfessionalBody.Hcpc, "PYL12345", Now));
    }

    [Theory]
    [InlineData(ProfessionalBody.Hcpc, "12345")]
    [InlineData(ProfessionalBody.Hcpc, "PYL12")]
    [InlineData(ProfessionalBody.Bacp, "PYL12345")]
    [InlineData(ProfessionalBody.Ukcp, "12")]
    public void a_number_in_the_wrong_format_for_the_body_is_refused(ProfessionalBody body, string number)
    {
        var decision = OnboardTherapist.Decide(Guid.CreateVersion7(), new OnboardTherapist("A B", "a@b.org", body, number), Now);

        decision.Rejection.ShouldNotBeNull().Rule.ShouldBe("registration-number-format");
        decision.Events.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(ProfessionalBody.Bacp, "0123456")]
    [InlineData(ProfessionalBody.Ukcp, "20045")]
    [InlineData(ProfessionalBody.Bps, "123456")]
    public void voluntary_register_membership_numbers_are_accepted(ProfessionalBody body, string number)
    {
        OnboardTherapist.Decide(Guid.CreateVersion7(), new OnboardTherapist("A B", "a@b.org", body, number), Now)
            .IsAccepted.ShouldBeTrue();
    }
}
