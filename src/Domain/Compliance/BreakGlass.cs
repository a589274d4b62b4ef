namespace EventSourcedClinic.Domain.Compliance;

/// <summary>
/// A clinician outside a patient's care team read their record, giving a reason. The read is allowed and flagged for
/// the compliance officer's review; the event lives on the patient's access-log stream.
/// </summary>
public sealed record BreakGlassAccessed(Guid PatientId, Guid ClinicianId, PersonalText Reason, string Resource, DateTimeOffset AccessedAt)
{
    public const int MinimumReasonLength = 10;
    public const int MaximumReasonLength = 500;

    private static readonly Guid Namespace = new("8e2f4a6c-1d3b-4a5e-b7c9-0f1e2d3c4b77");

    /// <summary>A patient's access log is one stream, found from the patient's id.</summary>
    public static Guid AccessLogStreamId(Guid patientId) => NameBasedGuid.Create(Namespace, $"access-log/{patientId}");
}
