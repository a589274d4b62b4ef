namespace EventSourcedClinic.Api.Identity;

public static class ClinicRoles
{
    public const string Patient = "patient";
    public const string Therapist = "therapist";
    public const string Admin = "admin";
    public const string Compliance = "compliance";

    /// <summary>A machine client such as an NHS Talking Therapies system (client credentials).</summary>
    public const string System = "system";

    public static readonly string[] All = [Patient, Therapist, Admin, Compliance, System];
}

public static class ClinicScopes
{
    public const string Api = "clinic.api";

    /// <summary>The audience the embedded server writes into every access token it issues.</summary>
    public const string Resource = "clinic-api";

    /// <summary>SMART on FHIR backend-services scopes an NHS system may be granted.</summary>
    public static readonly string[] SystemScopes =
    [
        "system/*.read", "system/Patient.read", "system/Appointment.read", "system/Observation.read",
        "system/Consent.read", "system/Communication.read", "system/ServiceRequest.write", "system/QuestionnaireResponse.write",
    ];
}

/// <summary>Claim types the clinic reads from a token, whoever issued it.</summary>
public static class ClinicClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Name = "name";
    public const string Email = "email";
    public const string ClientId = "client_id";
    public const string Scope = "scope";
}
