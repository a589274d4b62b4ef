using EventSourcedClinic.Domain.Clinical.Consent;

namespace EventSourcedClinic.Domain.Tests.Clinical.Consent;

public class ConsentTests
{
    private static readonly Guid PatientId = Guid.CreateVersion7();
    private static readonly DateTimeOffset Monday = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static ConsentRecord Given(params object[] events) =>
        events.Skip(1).Aggregate(
            events[0] is ConsentGiven g ? ConsentRecord.From(g) : ConsentRecord.From((ConsentWithdrawn)events[0]),
            (r, e) => e is ConsentGiven given ? r.When(given) : r.When((ConsentWithdrawn)e));

    [Fact]
    public void consent_in_force_is_the_last_decision_at_or_before_the_instant()
    {
        var record = Given(
            new ConsentGiven(PatientId, ConsentScope.ShareWithNhsTalkingTherapies, "2027-01", Monday),
            new ConsentWithdrawn(PatientId, ConsentScope.ShareWithNhsTalkingTherapies, "2027-01", Monday.AddDays(7)));

        record.InForce(ConsentScope.ShareWithNhsTalkingTherapies, Monday.AddMinutes(-1)).ShouldBeFalse();
        record.InForce(ConsentScope.ShareWithNhsTalkingTherapies, Monday).ShouldBeTrue();
        record.InForce(ConsentScope.ShareWithNhsTalkingTherapies, Monday.AddDays(6)).ShouldBeTrue();
        record.InForce(ConsentScope.ShareWithNhsTalkingTherapies, Monday.AddDays(7)).ShouldBeFalse();
        record.InForce(ConsentScope.Treatment, Monday.AddDays(1)).ShouldBeFalse();
        record.History.Length.ShouldBe(2);
    }

    [Fact]
    public void giving_the_same_consent_again_changes_nothing_but_a_new_policy_version_is_recorded()
    {
        var record = Given(new ConsentGiven(PatientId, ConsentScope.Treatment, "2027-01", Monday));

        RecordConsent.Decide(PatientId, record, new RecordConsent(ConsentScope.Treatment, true, "2027-01"), Monday.AddDays(1)).Events.ShouldBeEmpty();
        RecordConsent.Decide(PatientId, record, new RecordConsent(ConsentScope.Treatment, true, "2027-06"), Monday.AddDays(1)).Events
            .ShouldHaveSingleItem().ShouldBeOfType<ConsentGiven>().PolicyVersion.ShouldBe("2027-06");
    }

    [Fact]
    public void withdrawing_what_was_never_given_is_refused()
    {
        RecordConsent.Decide(PatientId, null, new RecordConsent(ConsentScope.SessionRecording, false, "2027-01"), Monday)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("nothing-to-withdraw");
    }
}
