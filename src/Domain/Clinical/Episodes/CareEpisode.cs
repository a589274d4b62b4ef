namespace EventSourcedClinic.Domain.Clinical.Episodes;

public enum ReferralSource
{
    SelfReferral,
    NhsService,
    GeneralPractitioner,
}

public enum EpisodeStage
{
    Referred,
    Assessed,
    InTreatment,
    Discharged,
}

/// <summary>NHS Talking Therapies discharge reasons, simplified to the ones a clinic records.</summary>
public enum DischargeReason
{
    CompletedTreatment,
    DroppedOut,
    DeclinedTreatment,
    NotSuitable,
    ReferredElsewhere,
}

/// <summary>
/// A referral and the care episode it opens (the NHS Talking Therapies pathway): referred, assessed, in treatment,
/// discharged. One pathway id per episode; outcome measures are judged per episode.
/// </summary>
public sealed record CareEpisode(
    Guid Id,
    Guid PatientId,
    string PathwayId,
    ReferralSource Source,
    string? ReferrerOdsCode,
    PersonalText PresentingProblem,
    EpisodeStage Stage,
    Guid? TherapistId,
    DischargeReason? DischargeReason,
    DateTimeOffset ReferredAt)
{
    public bool IsOpen => Stage != EpisodeStage.Discharged;

    public static CareEpisode From(ReferralReceived e) =>
        new(e.EpisodeId, e.PatientId, e.PathwayId, e.Source, e.ReferrerOdsCode, e.PresentingProblem, EpisodeStage.Referred, null, null, e.ReceivedAt);

    public CareEpisode When(EpisodeAssessed e) => this with { Stage = EpisodeStage.Assessed, TherapistId = e.AssessedBy };

    public CareEpisode When(TreatmentStarted e) => this with { Stage = EpisodeStage.InTreatment, TherapistId = e.TherapistId };

    public CareEpisode When(EpisodeDischarged e) => this with { Stage = EpisodeStage.Discharged, DischargeReason = e.Reason };
}

/// <summary>A referral arrives (the patient themself, their GP, or an NHS service) and opens an episode.</summary>
public sealed record ReceiveReferral(ReferralSource Source, string PresentingProblem, string? ReferrerOdsCode = null)
{
    public static Decision Decide(Guid episodeId, Guid patientId, ReceiveReferral command, DateTimeOffset now)
    {
        if (command.Source != ReferralSource.SelfReferral && string.IsNullOrWhiteSpace(command.ReferrerOdsCode))
        {
            return Rejection.Unprocessable("referrer-required", "A referral from a GP or NHS service names the referrer's ODS code.");
        }

        // The pathway id is the clinic's reference for the episode in NHS Talking Therapies returns.
        var pathwayId = $"ESC-{now:yyyyMMdd}-{episodeId.ToString("N")[^8..].ToUpperInvariant()}";
        return Decision.Accept(new ReferralReceived(episodeId, patientId, pathwayId, command.Source, command.ReferrerOdsCode?.Trim().ToUpperInvariant(),
            PersonalText.Of(patientId, command.PresentingProblem.Trim()), now));
    }
}

public sealed record AssessEpisode(long ExpectedVersion, bool SuitableForTreatment) : IExpectVersion
{
    public static Decision Decide(CareEpisode episode, Guid therapistId, AssessEpisode command, DateTimeOffset now) => episode.Stage switch
    {
        EpisodeStage.Referred when command.SuitableForTreatment => Decision.Accept(new EpisodeAssessed(episode.Id, therapistId, true, now)),
        EpisodeStage.Referred => Decision.Accept(
            new EpisodeAssessed(episode.Id, therapistId, false, now), new EpisodeDischarged(episode.Id, DischargeReason.NotSuitable, now)),
        _ => Rejection.Conflict("already-assessed", $"An episode that is {episode.Stage} has been assessed."),
    };
}

public sealed record StartTreatment(long ExpectedVersion) : IExpectVersion
{
    public static Decision Decide(CareEpisode episode, Guid therapistId, StartTreatment command, DateTimeOffset now)
    {
        if (episode.Stage != EpisodeStage.Assessed)
        {
            return Rejection.Conflict("not-assessed", $"Treatment starts after assessment; this episode is {episode.Stage}.");
        }

        return episode.TherapistId == therapistId
            ? Decision.Accept(new TreatmentStarted(episode.Id, therapistId, now))
            : Rejection.Unprocessable("not-the-assessor", "The therapist who assessed the referral starts the treatment.");
    }
}

public sealed record DischargeEpisode(long ExpectedVersion, DischargeReason Reason) : IExpectVersion
{
    public static Decision Decide(CareEpisode episode, DischargeEpisode command, DateTimeOffset now) =>
        episode.IsOpen
            ? Decision.Accept(new EpisodeDischarged(episode.Id, command.Reason, now))
            : Rejection.Conflict("already-discharged", "This episode is already closed.");
}

public sealed record ReferralReceived(
    Guid EpisodeId, Guid PatientId, string PathwayId, ReferralSource Source, string? ReferrerOdsCode, PersonalText PresentingProblem, DateTimeOffset ReceivedAt);

public sealed record EpisodeAssessed(Guid EpisodeId, Guid AssessedBy, bool SuitableForTreatment, DateTimeOffset AssessedAt);

public sealed record TreatmentStarted(Guid EpisodeId, Guid TherapistId, DateTimeOffset StartedAt);

public sealed record EpisodeDischarged(Guid EpisodeId, DischargeReason Reason, DateTimeOffset DischargedAt);
