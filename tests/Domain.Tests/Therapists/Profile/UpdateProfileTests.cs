using EventSourcedClinic.Domain.Therapists.Profile;

namespace EventSourcedClinic.Domain.Tests.Therapists.Profile;

public class UpdateProfileTests
{
    private static readonly DateTimeOffset Now = TherapistFixtures.Now;

    private static UpdateProfile Command(int fee = 6500, int minutes = 50, string[]? languages = null, string[]? methods = null) =>
        new(1, ["anxiety", "Depression"], methods ?? ["CBT", "emdr"], languages ?? ["pl", "en", "en"], "  Bio.  ", fee, minutes);

    [Fact]
    public void a_first_profile_sets_every_part_with_codes_normalised()
    {
        var therapist = TherapistFixtures.Registered();
        var decision = UpdateProfile.Decide(therapist, Command(), Now);

        decision.Events.ShouldBe(
        [
            new TherapistSpecialisationsSet(therapist.Id, ["anxiety", "depression"], Now),
            new TherapistMethodsSet(therapist.Id, ["cbt", "emdr"], Now),
            new TherapistLanguagesSet(therapist.Id, ["en", "pl"], Now),
            new TherapistBiographyWritten(therapist.Id, "Bio.", Now),
            new TherapistFeeSet(therapist.Id, 6500, 50, Now),
        ], new EventComparer());
    }

    [Fact]
    public void sending_the_same_profile_again_appends_nothing()
    {
        var therapist = TherapistFixtures.Registered();
        var first = UpdateProfile.Decide(therapist, Command(), Now);
        var updated = TherapistFixtures.Given(therapist, first.Events.ToArray());

        UpdateProfile.Decide(updated, Command(), Now).Events.ShouldBeEmpty();
    }

    [Fact]
    public void changing_only_the_fee_appends_only_a_fee_event()
    {
        var therapist = TherapistFixtures.Registered();
        var updated = TherapistFixtures.Given(therapist, UpdateProfile.Decide(therapist, Command(), Now).Events.ToArray());

        UpdateProfile.Decide(updated, Command(fee: 7000), Now).Events
            .ShouldHaveSingleItem().ShouldBe(new TherapistFeeSet(therapist.Id, 7000, 50, Now));
    }

    [Theory]
    [InlineData(-1, 50, "fee-range")]
    [InlineData(50_001, 50, "fee-range")]
    [InlineData(6000, 5, "session-length-range")]
    [InlineData(6000, 600, "session-length-range")]
    public void fees_and_session_lengths_outside_the_range_are_refused(int fee, int minutes, string rule)
    {
        var therapist = TherapistFixtures.Registered();

        UpdateProfile.Decide(therapist, Command(fee, minutes), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe(rule);
    }

    [Fact]
    public void an_unknown_language_code_is_refused_and_named()
    {
        var therapist = TherapistFixtures.Registered();
        var rejection = UpdateProfile.Decide(therapist, Command(languages: ["en", "xx"]), Now).Rejection.ShouldNotBeNull();

        rejection.Rule.ShouldBe("unknown-languages");
        rejection.Detail.ShouldContain("xx");
    }

    [Fact]
    public void a_profile_without_a_method_is_refused()
    {
        var therapist = TherapistFixtures.Registered();

        UpdateProfile.Decide(therapist, Command(methods: []), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("profile-incomplete");
    }

    // Records holding arrays compare arrays by reference; compare their JSON instead.
    private sealed class EventComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) =>
            System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y) && x?.GetType() == y?.GetType();

        public int GetHashCode(object obj) => obj.GetType().GetHashCode();
    }
}
