using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Patients.ContactDetails;

namespace EventSourcedClinic.Api.Patients;

/// <summary>A patient's registration and contact details as the HTTP API shows them (ADR 0012); personal text is null once erased.</summary>
public sealed record PatientView(
    Guid Id, string? GivenName, string? FamilyName, string? DateOfBirth, string? Email, string? NhsNumber, DateTimeOffset RegisteredAt,
    ContactDetailsView? Contact)
{
    public static PatientView From(Patient p) => new(
        p.Id, p.GivenName.Value, p.FamilyName.Value, p.DateOfBirth.Value, p.Email.Value, p.NhsNumber?.Value, p.RegisteredAt,
        p.Contact is { } c ? ContactDetailsView.From(c) : null);
}

public sealed record ContactDetailsView(
    string? Phone, string? AddressLine1, string? AddressLine2, string? Town, string? Postcode, string? GpPracticeOdsCode,
    string? EmergencyContactName, string? EmergencyContactPhone, string? EmergencyContactRelationship, string? PreferredLanguage,
    DateTimeOffset ChangedAt)
{
    public static ContactDetailsView From(PatientContactDetailsChanged c) => new(
        c.Phone?.Value, c.AddressLine1?.Value, c.AddressLine2?.Value, c.Town?.Value, c.Postcode?.Value, c.GpPracticeOdsCode,
        c.EmergencyContactName?.Value, c.EmergencyContactPhone?.Value, c.EmergencyContactRelationship?.Value, c.PreferredLanguage, c.ChangedAt);
}
