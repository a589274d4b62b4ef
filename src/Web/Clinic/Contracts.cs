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
