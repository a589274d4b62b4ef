namespace EventSourcedClinic.Web.Clinic;

// The API's answers this app reads: only the fields it shows (the API's own contracts stay the API's).

public sealed record CodeAndName(string Code, string Name);

public sealed record Catalogue(CodeAndName[] Specialisations, CodeAndName[] Methods, CodeAndName[] Languages);

public sealed record TherapistProfile(
    Guid Id, string FullName, string ProfessionalBody, string RegistrationNumber, CodeAndName[] Specialisations, CodeAndName[] Methods,
    CodeAndName[] Languages, string Biography, int FeePence, int SessionMinutes);

public sealed record DirectoryPage(TherapistProfile[] Items, int Page, int PageSize, long Total);

public sealed record Slot(DateTimeOffset Start, DateTimeOffset End);

public sealed record TherapistSlots(Guid TherapistId, int SessionMinutes, int FeePence, Slot[] Slots);

public sealed record Appointment(
    Guid Id, Guid TherapistId, Guid PatientId, DateTimeOffset Start, DateTimeOffset End, string Status, string Funding, int FeePence,
    DateTimeOffset? HoldExpiresAt, long Version);

public sealed record Booked(Guid AppointmentId, long Version, string Status, DateTimeOffset Start, DateTimeOffset End, int FeePence);

public sealed record CheckoutPage(Guid PaymentId, int AmountPence, string CheckoutUrl);

public sealed record PatientCalendar(Guid PatientId, Appointment[] Upcoming, Appointment[] Past);

public sealed record TherapistCalendar(Guid TherapistId, DateOnly From, DateOnly To, Appointment[] Appointments);

public sealed record IceServer(string[] Urls, string Username, string Credential);

public sealed record VideoAccess(
    string Provider, string Room, string Identity, string Token, DateTimeOffset NotBefore, DateTimeOffset ExpiresAt, string? ServerUrl, IceServer[]? IceServers);

public sealed record VideoRoom(string Room, bool PatientWaiting, DateTimeOffset? WaitingSince, bool PatientAdmitted, DateTimeOffset? Opens, DateTimeOffset? Closes);

public sealed record Message(
    Guid MessageId, int Sequence, Guid SenderId, string SenderRole, string? SenderName, string? Body, DateTimeOffset SentAt, bool Retracted, Guid[] Attachments);

public sealed record Conversation(Guid PatientId, string EmergencyNotice, Message[] Messages, bool HasEarlier);

public sealed record Measure(Guid MeasureId, string Questionnaire, int Total, string Severity, bool RiskFlag, DateTimeOffset CompletedAt);

public sealed record PatientOutcomes(Guid PatientId, Measure[] Measures, bool RiskFlag);

/// <summary>PHQ-9 and GAD-7 as the patient answers them: the items, and the line above which a score suggests a clinical problem (caseness).</summary>
public sealed record QuestionnaireForm(string Code, string Name, int Caseness, int Maximum, string[] Items)
{
    public const string Stem = "Over the last 2 weeks, how often have you been bothered by any of the following problems?";

    public static readonly string[] Options = ["Not at all", "Several days", "More than half the days", "Nearly every day"];

    public static readonly QuestionnaireForm Phq9 = new("phq9", "PHQ-9 (low mood)", 10, 27,
    [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead, or of hurting yourself in some way",
    ]);

    public static readonly QuestionnaireForm Gad7 = new("gad7", "GAD-7 (anxiety)", 8, 21,
    [
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ]);

    public static QuestionnaireForm? For(string code) => code switch { "phq9" => Phq9, "gad7" => Gad7, _ => null };
}

public sealed record CancellationPreview(bool Cancellable, string? FeeOutcome, int RefundPence, int LateCancellationHours, long Version, string? Why);

public sealed record CaseloadEntry(Guid PatientId, string? PatientName, int? LatestPhq9, int? LatestGad7, int? Phq9Change, int? Gad7Change, bool RiskFlag,
    DateTimeOffset? NextAppointment);

public sealed record Caseload(Guid TherapistId, CaseloadEntry[] Patients);

public sealed record NotificationPreferences(string[] Channels, string Language, TimeOnly? QuietFrom, TimeOnly? QuietUntil);

public sealed record ChainProblem(string Kind, Guid StreamId, long Version, long? Sequence, string Detail);

public sealed record ChainVerification(bool Intact, long EventsChecked, long StreamsChecked, int ProblemCount, ChainProblem[] Problems, double Seconds);

public sealed record AccessView(Guid AccessId, Guid PatientId, string AccessorId, string Role, string Purpose, string? Reason, DateTimeOffset AccessedAt, bool Flagged);

public sealed record BreakGlassReview(AccessView[] Accesses);
