namespace EventSourcedClinic.Domain.Compliance;

/// <summary>Why someone read a patient's data: the purpose of use an audit record states (IHE BALP's purposeOfUse).</summary>
public enum AccessPurpose
{
    /// <summary>A clinician in the patient's care team, treating them.</summary>
    DirectCare,

    /// <summary>The patient reading their own record.</summary>
    PatientAccess,

    /// <summary>A clinician outside the care team, in an emergency, with a stated reason; flagged for review.</summary>
    BreakGlass,

    /// <summary>A compliance officer: audit, review, records management.</summary>
    Administration,

    /// <summary>A subject access export.</summary>
    Export,

    /// <summary>An NHS system reading under the patient's consent to share.</summary>
    NhsExchange,
}

/// <summary>One thing that was read: its record type, its stream, and the stream version that was served.</summary>
public sealed record AccessedResource(string Type, Guid Id, long Version);

/// <summary>
/// Someone read a patient's personal or clinical data. Appended, and committed, before the data is returned, on the
/// patient's access-log stream: who, in what role, through which client, what was read at which version, why, and when.
/// </summary>
public sealed record RecordAccessed(
    Guid AccessId,
    Guid PatientId,
    string AccessorId,
    string Role,
    string? ClientId,
    AccessPurpose Purpose,
    PersonalText? Reason,
    string Request,
    AccessedResource[] Resources,
    DateTimeOffset AccessedAt,
    DateTimeOffset? AsOf = null)
{
    public const int MinimumReasonLength = 10;
    public const int MaximumReasonLength = 500;

    private static readonly Guid Namespace = new("8e2f4a6c-1d3b-4a5e-b7c9-0f1e2d3c4b77");

    /// <summary>A patient's access log is one stream, found from the patient's id.</summary>
    public static Guid AccessLogStreamId(Guid patientId) => NameBasedGuid.Create(Namespace, $"access-log/{patientId}");

    /// <summary>Whether the access is flagged for the compliance officer's review.</summary>
    public bool Flagged => Purpose == AccessPurpose.BreakGlass;
}
