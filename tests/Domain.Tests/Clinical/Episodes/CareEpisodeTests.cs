using EventSourcedClinic.Domain.Clinical.Episodes;

namespace EventSourcedClinic.Domain.Tests.Clinical.Episodes;

public class CareEpisodeTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Therapist = Guid.CreateVersion7();

    private static CareEpisode Referred() =>
        CareEpisode.From((ReferralReceived)ReceiveReferral.Decide(Guid.CreateVersion7(), Guid.CreateVersion7(),
            new ReceiveReferral(ReferralSource.SelfReferral, "Low mood"), Now).Events.Single());

    [Fact]
    public void a_referral_gets_one_pathway_id_and_moves_through_assessment_and_treatment_to_discharge()
    {
        var episode = Referred();
        episode.PathwayId.ShouldStartWith("ESC-20270301-");

        var assessed = episode.When((EpisodeAssessed)AssessEpisode.Decide(episode, Therapist, new AssessEpisode(1, true), Now).Events.Single());
        var treated = assessed.When((TreatmentStarted)StartTreatment.Decide(assessed, Therapist, new StartTreatment(2), Now).Events.Single());
        treated.Stage.ShouldBe(EpisodeStage.InTreatment);
        treated.TherapistId.ShouldBe(Therapist);

        var discharged = treated.When((EpisodeDischarged)DischargeEpisode.Decide(treated, new DischargeEpisode(3, DischargeReason.CompletedTreatment), Now).Events.Single());
        discharged.IsOpen.ShouldBeFalse();
        DischargeEpisode.Decide(discharged, new DischargeEpisode(4, DischargeReason.DroppedOut), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("already-discharged");
    }

    [Fact]
    public void an_unsuitable_referral_is_discharged_at_assessment()
    {
        AssessEpisode.Decide(Referred(), Therapist, new AssessEpisode(1, false), Now).Events.Select(e => e.GetType())
            .ShouldBe([typeof(EpisodeAssessed), typeof(EpisodeDischarged)]);
    }

    [Fact]
    public void treatment_starts_only_after_assessment_and_a_gp_referral_names_the_referrer()
    {
        StartTreatment.Decide(Referred(), Therapist, new StartTreatment(1), Now).Rejection.ShouldNotBeNull().Rule.ShouldBe("not-assessed");
        ReceiveReferral.Decide(Guid.CreateVersion7(), Guid.CreateVersion7(), new ReceiveReferral(ReferralSource.GeneralPractitioner, "x"), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("referrer-required");
    }
}
