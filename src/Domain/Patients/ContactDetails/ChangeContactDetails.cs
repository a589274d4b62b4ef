using System.Text.RegularExpressions;

namespace EventSourcedClinic.Domain.Patients.ContactDetails;

public sealed record PostalAddress(string Line1, string Town, string Postcode, string? Line2 = null);

public sealed record EmergencyContact(string Name, string Phone, string Relationship);

/// <summary>
/// A patient states their contact details: phone, address, GP practice (ODS code), emergency contact and preferred
/// language. Personal values are <see cref="PersonalText"/>, encrypted at rest under the patient's key.
/// </summary>
public sealed record ChangeContactDetails(
    long ExpectedVersion,
    string? Phone = null,
    PostalAddress? Address = null,
    string? GpPracticeOdsCode = null,
    EmergencyContact? EmergencyContact = null,
    string? PreferredLanguage = null)
    : IExpectVersion
{
    // UK postcodes (the GOV.UK pattern, simplified) and GP practice ODS codes (a letter and five digits, e.g. A81001).
    private static readonly Regex Postcode = new("^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", RegexOptions.IgnoreCase);
    private static readonly Regex OdsCode = new("^[A-Z][0-9]{5}$");
    private static readonly Regex PhoneNumber = new(@"^\+?[0-9 ()-]{10,20}$");

    public static Decision Decide(Patient patient, ChangeContactDetails command, DateTimeOffset now)
    {
        if (command.Address is { } address && !Postcode.IsMatch(address.Postcode.Trim()))
        {
            return Rejection.Unprocessable("postcode", $"'{address.Postcode}' is not a UK postcode.");
        }

        if (command.GpPracticeOdsCode is { } ods && !OdsCode.IsMatch(ods.Trim().ToUpperInvariant()))
        {
            return Rejection.Unprocessable("ods-code", $"'{ods}' is not a GP practice ODS code (a letter and five digits).");
        }

        foreach (var phone in new[] { command.Phone, command.EmergencyContact?.Phone })
        {
            if (phone is not null && !PhoneNumber.IsMatch(phone.Trim()))
            {
                return Rejection.Unprocessable("phone", $"'{phone}' is not a phone number.");
            }
        }

        var id = patient.Id;
        PersonalText? Personal(string? value) => string.IsNullOrWhiteSpace(value) ? null : PersonalText.Of(id, value.Trim());
        return Decision.Accept(new PatientContactDetailsChanged(
            id,
            Personal(command.Phone),
            Personal(command.Address?.Line1), Personal(command.Address?.Line2), Personal(command.Address?.Town),
            Personal(command.Address?.Postcode.Trim().ToUpperInvariant()),
            command.GpPracticeOdsCode?.Trim().ToUpperInvariant(),
            Personal(command.EmergencyContact?.Name), Personal(command.EmergencyContact?.Phone), Personal(command.EmergencyContact?.Relationship),
            command.PreferredLanguage?.Trim().ToLowerInvariant(),
            now));
    }
}

public sealed record PatientContactDetailsChanged(
    Guid PatientId,
    PersonalText? Phone,
    PersonalText? AddressLine1,
    PersonalText? AddressLine2,
    PersonalText? Town,
    PersonalText? Postcode,
    string? GpPracticeOdsCode,
    PersonalText? EmergencyContactName,
    PersonalText? EmergencyContactPhone,
    PersonalText? EmergencyContactRelationship,
    string? PreferredLanguage,
    DateTimeOffset ChangedAt);
