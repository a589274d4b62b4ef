namespace EventSourcedClinic.Domain.Clinical.Consent;

/// <summary>What a patient consents to.</summary>
public enum ConsentScope
{
    /// <summary>Assessment and therapy by the clinic.</summary>
    Treatment,

    /// <summary>Sharing their record with NHS Talking Therapies services (the IAPT data set).</summary>
    ShareWithNhsTalkingTherapies,

    /// <summary>Recording sessions.</summary>
    SessionRecording,

    /// <summary>Contacting their GP in an emergency.</summary>
    ContactGpInEmergency,
}

/// <summary>One decision of the patient's about one scope, against the policy version they were shown.</summary>
public sealed record ConsentDecision(ConsentScope Scope, bool Given, string PolicyVersion, DateTimeOffset At);

/// <summary>
/// A patient's consents as their Consent stream tells it: the full history, and the consent in force at any instant
/// (the last decision at or before it). Nothing is ever removed; a withdrawal is a decision like a grant.
/// </summary>
public sealed record ConsentRecord(Guid Id, Guid PatientId, ConsentDecision[] History)
{
    private static readonly Guid Namespace = new("3b9e7f20-6a4d-4f1c-8d2e-91c5a7b0e644");

    public static Guid StreamId(Guid patientId) => NameBasedGuid.Create(Namespace, $"consent/{patientId}");

    public static ConsentRecord From(ConsentGiven e) => new(StreamId(e.PatientId), e.PatientId, [new(e.Scope, true, e.PolicyVersion, e.GivenAt)]);

    public static ConsentRecord From(ConsentWithdrawn e) => new(StreamId(e.PatientId), e.PatientId, [new(e.Scope, false, e.PolicyVersion, e.WithdrawnAt)]);

    public ConsentRecord When(ConsentGiven e) => this with { History = [.. History, new(e.Scope, true, e.PolicyVersion, e.GivenAt)] };

    public ConsentRecord When(ConsentWithdrawn e) => this with { History = [.. History, new(e.Scope, false, e.PolicyVersion, e.WithdrawnAt)] };

    /// <summary>Whether the patient's consent to <paramref name="scope"/> was in force at <paramref name="at"/>.</summary>
    public bool InForce(ConsentScope scope, DateTimeOffset at) =>
        History.Where(d => d.Scope == scope && d.At <= at).OrderBy(d => d.At).LastOrDefault() is { Given: true };

    /// <summary>Every scope in force at <paramref name="at"/>.</summary>
    public ConsentScope[] InForceAt(DateTimeOffset at) => Enum.GetValues<ConsentScope>().Where(scope => InForce(scope, at)).ToArray();

    public ConsentDecision? Current(ConsentScope scope) => History.Where(d => d.Scope == scope).OrderBy(d => d.At).LastOrDefault();
}

/// <summary>The patient gives or withdraws consent to a scope, against a named policy version.</summary>
public sealed record RecordConsent(ConsentScope Scope, bool Given, string PolicyVersion)
{
    public static Decision Decide(Guid patientId, ConsentRecord? record, RecordConsent command, DateTimeOffset now)
    {
        var current = record?.Current(command.Scope);
        if (current is not null && current.Given == command.Given && current.PolicyVersion == command.PolicyVersion.Trim())
        {
            return Decision.Accept();
        }

        if (current is null && !command.Given)
        {
            return Rejection.Unprocessable("nothing-to-withdraw", $"No consent to {command.Scope} has been given.");
        }

        var version = command.PolicyVersion.Trim();
        return command.Given
            ? Decision.Accept(new ConsentGiven(patientId, command.Scope, version, now))
            : Decision.Accept(new ConsentWithdrawn(patientId, command.Scope, version, now));
    }
}

public sealed record ConsentGiven(Guid PatientId, ConsentScope Scope, string PolicyVersion, DateTimeOffset GivenAt);

public sealed record ConsentWithdrawn(Guid PatientId, ConsentScope Scope, string PolicyVersion, DateTimeOffset WithdrawnAt);
