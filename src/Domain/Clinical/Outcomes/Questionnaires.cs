namespace EventSourcedClinic.Domain.Clinical.Outcomes;

/// <summary>The outcome questionnaires the clinic scores.</summary>
public enum Questionnaire
{
    /// <summary>Patient Health Questionnaire, 9 items scored 0-3 (depression).</summary>
    Phq9,

    /// <summary>Generalised Anxiety Disorder scale, 7 items scored 0-3.</summary>
    Gad7,

    /// <summary>Work and Social Adjustment Scale, 5 items scored 0-8 (functional impairment).</summary>
    Wsas,
}

/// <summary>How a questionnaire is scored: its items, their range, its severity bands and its caseness threshold.</summary>
public sealed record Scoring(Questionnaire Questionnaire, int Items, int MaxPerItem, (int From, string Band)[] Bands, int? CasenessAtOrAbove, int? ReliableChange)
{
    /// <summary>
    /// Bands from the questionnaires' published scoring (Kroenke 2001 for PHQ-9, Spitzer 2006 for GAD-7, Mundt 2002 for
    /// WSAS); caseness and reliable change from the NHS Talking Therapies Manual (ADR 0007).
    /// </summary>
    public static readonly IReadOnlyDictionary<Questionnaire, Scoring> Of = new Dictionary<Questionnaire, Scoring>
    {
        [Questionnaire.Phq9] = new(Questionnaire.Phq9, 9, 3,
            [(0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately-severe"), (20, "severe")], CasenessAtOrAbove: 10, ReliableChange: 6),
        [Questionnaire.Gad7] = new(Questionnaire.Gad7, 7, 3,
            [(0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")], CasenessAtOrAbove: 8, ReliableChange: 4),
        [Questionnaire.Wsas] = new(Questionnaire.Wsas, 5, 8,
            [(0, "subclinical"), (10, "significant-impairment"), (21, "moderately-severe-impairment")], CasenessAtOrAbove: null, ReliableChange: null),
    };

    public string BandOf(int total) => Bands.Last(b => total >= b.From).Band;
}
