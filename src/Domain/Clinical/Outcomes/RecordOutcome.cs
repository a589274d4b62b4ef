namespace EventSourcedClinic.Domain.Clinical.Outcomes;

/// <summary>
/// A completed questionnaire: the item answers only. The total, the severity band and the risk flag are computed here,
/// never taken from the client.
/// </summary>
public sealed record RecordOutcome(Questionnaire Questionnaire, int[] Answers, Guid? EpisodeId = null)
{
    private static readonly Guid Namespace = new("0d7c4a7e-5c1e-4f7b-9a57-1b6d2f0e8c33");

    /// <summary>A patient's outcome measures are one stream, found from the patient's id.</summary>
    public static Guid StreamId(Guid patientId) => NameBasedGuid.Create(Namespace, $"outcomes/{patientId}");

    /// <summary>PHQ-9 item 9 asks about thoughts of being better off dead or of self-harm.</summary>
    public const int Phq9SuicidalIdeationItem = 9;

    public static Decision Decide(Guid patientId, Guid measureId, RecordOutcome command, DateTimeOffset now)
    {
        var scoring = Scoring.Of[command.Questionnaire];
        if (command.Answers.Length != scoring.Items)
        {
            return Rejection.Unprocessable("item-count", $"{command.Questionnaire} has {scoring.Items} items; {command.Answers.Length} answers were given.");
        }

        var outOfRange = command.Answers.Select((answer, index) => (answer, item: index + 1)).Where(a => a.answer < 0 || a.answer > scoring.MaxPerItem).ToArray();
        if (outOfRange.Length > 0)
        {
            return Rejection.Unprocessable("answer-range",
                $"{command.Questionnaire} answers are 0 to {scoring.MaxPerItem}; item {string.Join(", ", outOfRange.Select(a => a.item))} is outside that.");
        }

        var total = command.Answers.Sum();
        var risk = command.Questionnaire == Questionnaire.Phq9 && command.Answers[Phq9SuicidalIdeationItem - 1] > 0;
        return Decision.Accept(new OutcomeRecorded(
            patientId, measureId, command.EpisodeId, command.Questionnaire, command.Answers, total, scoring.BandOf(total), risk, now));
    }
}

/// <summary>One completed questionnaire with its server-computed total, band and risk flag.</summary>
public sealed record OutcomeRecorded(
    Guid PatientId, Guid MeasureId, Guid? EpisodeId, Questionnaire Questionnaire, int[] Answers, int Total, string Severity, bool RiskFlag,
    DateTimeOffset CompletedAt);
