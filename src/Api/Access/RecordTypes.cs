namespace EventSourcedClinic.Api.Access;

/// <summary>The record types an access names, one per kind of stream a patient's data lives in.</summary>
public static class RecordTypes
{
    public const string Patient = "Patient";
    public const string Consent = "ConsentRecord";
    public const string History = "ClinicalHistory";
    public const string Outcomes = "OutcomeHistory";
    public const string SessionNote = "SessionNote";
    public const string CareEpisode = "CareEpisode";
    public const string Appointment = "Appointment";
    public const string AccessLog = "AccessLog";
    public const string RecordsManagement = "RecordsStatus";
    public const string Payment = "Payment";
    public const string SavedCards = "SavedCards";
    public const string Conversation = "Conversation";
    public const string NotificationPreferences = "NotificationPreferences";
}
