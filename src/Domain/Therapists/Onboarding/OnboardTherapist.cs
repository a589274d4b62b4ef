using System.Text.RegularExpressions;

namespace EventSourcedClinic.Domain.Therapists.Onboarding;

/// <summary>An admin onboards a therapist registered with a professional body; the stream starts here.</summary>
public sealed record OnboardTherapist(string FullName, string Email, ProfessionalBody ProfessionalBody, string RegistrationNumber)
{
    public static Decision Decide(Guid therapistId, OnboardTherapist command, DateTimeOffset now)
    {
        var number = NormaliseRegistrationNumber(command.RegistrationNumber);
        if (!RegistrationNumberFormat(command.ProfessionalBody).IsMatch(number))
        {
            return Rejection.Unprocessable(
                "registration-number-format",
                $"'{command.RegistrationNumber}' is not a {command.ProfessionalBody} registration number ({FormatHint(command.ProfessionalBody)}).");
        }

        return Decision.Accept(new TherapistRegistered(
            therapistId, command.FullName.Trim(), command.Email.Trim().ToLowerInvariant(), command.ProfessionalBody, number, now));
    }

    public static string NormaliseRegistrationNumber(string value) => value.Trim().Replace(" ", "").ToUpperInvariant();

    // HCPC practitioner psychologists are listed as PYL followed by digits; the voluntary registers use numbers.
    private static Regex RegistrationNumberFormat(ProfessionalBody body) => body switch
    {
        ProfessionalBody.Hcpc => new Regex("^PYL[0-9]{4,6}$"),
        _ => new Regex("^[0-9]{4,10}$"),
    };

    private static string FormatHint(ProfessionalBody body) => body switch
    {
        ProfessionalBody.Hcpc => "PYL followed by 4 to 6 digits",
        _ => "4 to 10 digits",
    };
}

public sealed record TherapistRegistered(
    Guid TherapistId,
    string FullName,
    string Email,
    ProfessionalBody ProfessionalBody,
    string RegistrationNumber,
    DateTimeOffset RegisteredAt);
