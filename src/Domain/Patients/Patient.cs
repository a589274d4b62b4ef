using EventSourcedClinic.Domain.Patients.Registration;

namespace EventSourcedClinic.Domain.Patients;

/// <summary>A patient as their stream tells it.</summary>
public sealed record Patient(
    Guid Id,
    PersonalText GivenName,
    PersonalText FamilyName,
    PersonalText DateOfBirth,
    PersonalText Email,
    PersonalText? NhsNumber,
    DateTimeOffset RegisteredAt)
{
    /// <summary>The latest contact details the patient gave (none until they give some).</summary>
    public ContactDetails.PatientContactDetailsChanged? Contact { get; init; }

    public static Patient From(PatientRegistered e) =>
        new(e.PatientId, e.GivenName, e.FamilyName, e.DateOfBirth, e.Email, e.NhsNumber, e.RegisteredAt);

    public Patient When(ContactDetails.PatientContactDetailsChanged e) => this with { Contact = e };
}
