namespace EventSourcedClinic.Domain.Clinical.Outcomes;

/// <summary>A score as the measures use it.</summary>
public sealed record Score(Questionnaire Questionnaire, int Total, DateTimeOffset CompletedAt);

/// <summary>The NHS Talking Therapies outcome measures of one care episode (ADR 0007).</summary>
public sealed record EpisodeOutcome(
    bool HasPairedScores,
    bool CaseAtStart,
    bool ReliableImprovement,
    bool ReliableDeterioration,
    bool Recovery,
    bool ReliableRecovery,
    int? FirstPhq9,
    int? LastPhq9,
    int? FirstGad7,
    int? LastGad7);

/// <summary>
/// Computes the NHS Talking Therapies measures from the first and the last PHQ-9 and GAD-7 of an episode:
/// caseness (PHQ-9 at or above 10, or GAD-7 at or above 8) at the first measure; reliable improvement (a fall of at
/// least 6 on PHQ-9 or 4 on GAD-7, and no reliable rise on the other); reliable deterioration (the converse); recovery
/// (a case at the start and below caseness on both at the end); reliable recovery (both).
/// </summary>
public static class TalkingTherapiesMeasures
{
    public static EpisodeOutcome For(IEnumerable<Score> scores)
    {
        var ordered = scores.OrderBy(s => s.CompletedAt).ToArray();
        var phq = ordered.Where(s => s.Questionnaire == Questionnaire.Phq9).Select(s => s.Total).ToArray();
        var gad = ordered.Where(s => s.Questionnaire == Questionnaire.Gad7).Select(s => s.Total).ToArray();
        int? firstPhq = phq.Length > 0 ? phq[0] : null, lastPhq = phq.Length > 0 ? phq[^1] : null;
        int? firstGad = gad.Length > 0 ? gad[0] : null, lastGad = gad.Length > 0 ? gad[^1] : null;

        // The measures need a first and a last score on both scales (NHS Talking Therapies: "paired scores").
        if (phq.Length < 2 || gad.Length < 2)
        {
            return new EpisodeOutcome(false, Case(firstPhq, firstGad), false, false, false, false, firstPhq, lastPhq, firstGad, lastGad);
        }

        var phqScoring = Scoring.Of[Questionnaire.Phq9];
        var gadScoring = Scoring.Of[Questionnaire.Gad7];
        var phqChange = lastPhq!.Value - firstPhq!.Value;
        var gadChange = lastGad!.Value - firstGad!.Value;
        var phqImproved = phqChange <= -phqScoring.ReliableChange!.Value;
        var gadImproved = gadChange <= -gadScoring.ReliableChange!.Value;
        var phqWorse = phqChange >= phqScoring.ReliableChange.Value;
        var gadWorse = gadChange >= gadScoring.ReliableChange.Value;

        var caseAtStart = Case(firstPhq, firstGad);
        var improvement = (phqImproved || gadImproved) && !phqWorse && !gadWorse;
        var deterioration = (phqWorse || gadWorse) && !phqImproved && !gadImproved;
        var recovery = caseAtStart && !Case(lastPhq, lastGad);
        return new EpisodeOutcome(true, caseAtStart, improvement, deterioration, recovery, recovery && improvement, firstPhq, lastPhq, firstGad, lastGad);
    }

    private static bool Case(int? phq, int? gad) =>
        phq >= Scoring.Of[Questionnaire.Phq9].CasenessAtOrAbove || gad >= Scoring.Of[Questionnaire.Gad7].CasenessAtOrAbove;
}
