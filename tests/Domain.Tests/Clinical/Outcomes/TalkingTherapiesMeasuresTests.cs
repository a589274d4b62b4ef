using EventSourcedClinic.Domain.Clinical.Outcomes;

namespace EventSourcedClinic.Domain.Tests.Clinical.Outcomes;

/// <summary>Worked examples of the NHS Talking Therapies measures (first and last paired PHQ-9 and GAD-7).</summary>
public class TalkingTherapiesMeasuresTests
{
    private static readonly DateTimeOffset Start = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);

    private static Score[] Course(int phqFirst, int gadFirst, int phqLast, int gadLast) =>
    [
        new(Questionnaire.Phq9, phqFirst, Start), new(Questionnaire.Gad7, gadFirst, Start),
        new(Questionnaire.Phq9, (phqFirst + phqLast) / 2, Start.AddDays(14)), new(Questionnaire.Gad7, (gadFirst + gadLast) / 2, Start.AddDays(14)),
        new(Questionnaire.Phq9, phqLast, Start.AddDays(42)), new(Questionnaire.Gad7, gadLast, Start.AddDays(42)),
    ];

    [Fact]
    public void phq9_18_to_6_and_gad7_14_to_5_is_reliable_recovery()
    {
        // Case at start (18 >= 10); below caseness on both at the end (6 < 10, 5 < 8); PHQ-9 fell 12 >= 6.
        var outcome = TalkingTherapiesMeasures.For(Course(18, 14, 6, 5));

        outcome.CaseAtStart.ShouldBeTrue();
        outcome.Recovery.ShouldBeTrue();
        outcome.ReliableImprovement.ShouldBeTrue();
        outcome.ReliableRecovery.ShouldBeTrue();
        outcome.ReliableDeterioration.ShouldBeFalse();
    }

    [Fact]
    public void phq9_11_to_9_and_gad7_8_to_7_is_recovery_without_reliable_improvement()
    {
        // Below caseness at the end, but the falls (2 and 1) are within measurement error.
        var outcome = TalkingTherapiesMeasures.For(Course(11, 8, 9, 7));

        outcome.Recovery.ShouldBeTrue();
        outcome.ReliableImprovement.ShouldBeFalse();
        outcome.ReliableRecovery.ShouldBeFalse();
    }

    [Fact]
    public void phq9_20_to_13_and_gad7_15_to_12_is_reliable_improvement_still_a_case()
    {
        var outcome = TalkingTherapiesMeasures.For(Course(20, 15, 13, 12));

        outcome.ReliableImprovement.ShouldBeTrue();
        outcome.Recovery.ShouldBeFalse();
    }

    [Fact]
    public void phq9_8_to_15_and_gad7_6_to_6_is_reliable_deterioration()
    {
        var outcome = TalkingTherapiesMeasures.For(Course(8, 6, 15, 6));

        outcome.CaseAtStart.ShouldBeFalse();
        outcome.ReliableDeterioration.ShouldBeTrue();
        outcome.ReliableImprovement.ShouldBeFalse();
        outcome.Recovery.ShouldBeFalse();
    }

    [Fact]
    public void a_reliable_fall_on_one_scale_and_a_reliable_rise_on_the_other_is_neither()
    {
        // PHQ-9 falls 7, GAD-7 rises 5.
        var outcome = TalkingTherapiesMeasures.For(Course(17, 6, 10, 11));

        outcome.ReliableImprovement.ShouldBeFalse();
        outcome.ReliableDeterioration.ShouldBeFalse();
    }

    [Fact]
    public void someone_not_a_case_at_the_start_cannot_recover()
    {
        var outcome = TalkingTherapiesMeasures.For(Course(9, 7, 2, 2));

        outcome.CaseAtStart.ShouldBeFalse();
        outcome.Recovery.ShouldBeFalse();
        outcome.ReliableImprovement.ShouldBeTrue();
    }

    [Fact]
    public void the_gad7_threshold_alone_makes_a_case()
    {
        TalkingTherapiesMeasures.For(Course(5, 8, 4, 3)).CaseAtStart.ShouldBeTrue();
        TalkingTherapiesMeasures.For(Course(5, 7, 4, 3)).CaseAtStart.ShouldBeFalse();
    }

    [Fact]
    public void without_a_first_and_last_score_on_both_scales_there_is_no_outcome_yet()
    {
        var outcome = TalkingTherapiesMeasures.For([new Score(Questionnaire.Phq9, 18, Start), new Score(Questionnaire.Gad7, 14, Start)]);

        outcome.HasPairedScores.ShouldBeFalse();
        outcome.CaseAtStart.ShouldBeTrue();
        outcome.Recovery.ShouldBeFalse();
    }
}
