using EventSourcedClinic.Domain.Clinical.Outcomes;

namespace EventSourcedClinic.Domain.Tests.Clinical.Outcomes;

public class RecordOutcomeTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static OutcomeRecorded Score(Questionnaire questionnaire, params int[] answers) =>
        RecordOutcome.Decide(Guid.CreateVersion7(), Guid.CreateVersion7(), new RecordOutcome(questionnaire, answers), Now)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<OutcomeRecorded>();

    [Theory]
    [InlineData(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0, "minimal")]
    [InlineData(new[] { 1, 1, 1, 1, 0, 0, 0, 0, 0 }, 4, "minimal")]
    [InlineData(new[] { 1, 1, 1, 1, 1, 0, 0, 0, 0 }, 5, "mild")]
    [InlineData(new[] { 2, 2, 2, 2, 1, 0, 0, 0, 0 }, 9, "mild")]
    [InlineData(new[] { 2, 2, 2, 2, 2, 0, 0, 0, 0 }, 10, "moderate")]
    [InlineData(new[] { 3, 3, 3, 3, 2, 1, 0, 0, 0 }, 15, "moderately-severe")]
    [InlineData(new[] { 3, 3, 3, 3, 3, 3, 2, 0, 0 }, 20, "severe")]
    [InlineData(new[] { 3, 3, 3, 3, 3, 3, 3, 3, 3 }, 27, "severe")]
    public void phq9_totals_and_bands_are_computed_from_the_items(int[] answers, int total, string band)
    {
        var scored = Score(Questionnaire.Phq9, answers);

        scored.Total.ShouldBe(total);
        scored.Severity.ShouldBe(band);
    }

    [Theory]
    [InlineData(new[] { 1, 1, 1, 1, 0, 0, 0 }, 4, "minimal")]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1 }, 7, "mild")]
    [InlineData(new[] { 2, 2, 2, 2, 2, 0, 0 }, 10, "moderate")]
    [InlineData(new[] { 3, 3, 3, 2, 2, 1, 1 }, 15, "severe")]
    [InlineData(new[] { 3, 3, 3, 3, 3, 3, 3 }, 21, "severe")]
    public void gad7_totals_and_bands_are_computed_from_the_items(int[] answers, int total, string band)
    {
        var scored = Score(Questionnaire.Gad7, answers);

        scored.Total.ShouldBe(total);
        scored.Severity.ShouldBe(band);
    }

    [Theory]
    [InlineData(new[] { 2, 2, 2, 2, 1 }, 9, "subclinical")]
    [InlineData(new[] { 4, 4, 4, 4, 4 }, 20, "significant-impairment")]
    [InlineData(new[] { 8, 8, 5, 0, 0 }, 21, "moderately-severe-impairment")]
    public void wsas_items_run_to_eight(int[] answers, int total, string band)
    {
        var scored = Score(Questionnaire.Wsas, answers);

        scored.Total.ShouldBe(total);
        scored.Severity.ShouldBe(band);
    }

    [Fact]
    public void any_answer_above_zero_on_phq9_item_9_raises_a_risk_flag()
    {
        Score(Questionnaire.Phq9, 0, 0, 0, 0, 0, 0, 0, 0, 1).RiskFlag.ShouldBeTrue();
        Score(Questionnaire.Phq9, 3, 3, 3, 3, 3, 3, 3, 3, 0).RiskFlag.ShouldBeFalse();
        Score(Questionnaire.Gad7, 3, 3, 3, 3, 3, 3, 3).RiskFlag.ShouldBeFalse();
    }

    [Theory]
    [InlineData(Questionnaire.Phq9, new[] { 0, 0, 0, 0, 0, 0, 0, 0 }, "item-count")]
    [InlineData(Questionnaire.Gad7, new[] { 0, 0, 0, 0, 0, 0, 0, 0 }, "item-count")]
    [InlineData(Questionnaire.Phq9, new[] { 0, 0, 0, 0, 0, 0, 0, 0, 4 }, "answer-range")]
    [InlineData(Questionnaire.Gad7, new[] { -1, 0, 0, 0, 0, 0, 0 }, "answer-range")]
    [InlineData(Questionnaire.Wsas, new[] { 9, 0, 0, 0, 0 }, "answer-range")]
    public void wrong_item_counts_and_answers_out_of_range_are_refused(Questionnaire questionnaire, int[] answers, string rule)
    {
        RecordOutcome.Decide(Guid.CreateVersion7(), Guid.CreateVersion7(), new RecordOutcome(questionnaire, answers), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe(rule);
    }
}
