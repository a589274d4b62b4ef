namespace EventSourcedClinic.Domain.Patients.Registration;

/// <summary>A person registers themselves as a patient of the clinic; the Patient stream starts here.</summary>
public sealed record RegisterPatient(string GivenName, string FamilyName, DateOnly DateOfBirth, string Email, string? NhsNumber)
{
    /// <summary>The clinic treats adults; younger people are referred to CAMHS.</summary>
    public const int MinimumAge = 18;

    public static Decision Decide(Guid patientId, RegisterPatient command, DateTimeOffset now)
    {
        var today = UkTime.Today(now);
        if (command.DateOfBirth > today)
        {
            return Rejection.Unprocessable("date-of-birth-in-future", "The date of birth is in the future.");
        }

        if (command.DateOfBirth.AddYears(MinimumAge) > today)
        {
            return Rejection.Unprocessable("minimum-age", $"The clinic sees patients aged {MinimumAge} and over.");
        }

        if (command.DateOfBirth.Year < today.Year - 120)
        {
            return Rejection.Unprocessable("date-of-birth-range", "The date of birth is more than 120 years ago.");
        }

        string? nhsNumber = null;
        if (!string.IsNullOrWhiteSpace(command.NhsNumber))
        {
            if (!Patients.NhsNumber.TryParse(command.NhsNumber, out var parsed))
            {
                return Rejection.Unprocessable("nhs-number", "The NHS number is not 10 digits with a valid Modulus 11 check digit.");
            }

            nhsNumber = parsed.Value;
        }

        return Decision.Accept(new PatientRegistered(
            patientId, PersonalText.Of(patientId, command.GivenName.Trim()), PersonalText.Of(patientId, command.FamilyName.Trim()),
            PersonalText.Of(patientId, command.DateOfBirth.ToString("yyyy-MM-dd")), PersonalText.Of(patientId, command.Email.Trim().ToLowerInvariant()),
            nhsNumber is null ? null : PersonalText.Of(patientId, nhsNumber), now));
    }
}

/// <summary>Everything that identifies the person is <see cref="PersonalText"/>: encrypted at rest with their key.</summary>
public sealed record PatientRegistered(
    Guid PatientId,
    PersonalText GivenName,
    PersonalText FamilyName,
    PersonalText DateOfBirth,
    PersonalText Email,
    PersonalText? NhsNumber,
    DateTimeOffset RegisteredAt);
