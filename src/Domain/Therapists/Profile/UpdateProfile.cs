namespace EventSourcedClinic.Domain.Therapists.Profile;

/// <summary>
/// A therapist (or an admin for them) states their whole public profile; only what changed becomes an event,
/// so sending the same profile twice appends nothing.
/// </summary>
public sealed record UpdateProfile(
    long ExpectedVersion,
    string[] Specialisations,
    string[] Methods,
    string[] Languages,
    string Biography,
    int FeePence,
    int SessionMinutes) : IExpectVersion
{
    public static Decision Decide(Therapist therapist, UpdateProfile command, DateTimeOffset now)
    {
        var specialisations = Normalise(command.Specialisations);
        var methods = Normalise(command.Methods);
        var languages = Normalise(command.Languages);

        var rejection =
            Unknown("specialisations", specialisations, Catalogue.Specialisations)
            ?? Unknown("methods", methods, Catalogue.Methods)
            ?? Unknown("languages", languages, Catalogue.Languages)
            ?? FeeRule(command.FeePence, command.SessionMinutes);
        if (rejection is not null)
        {
            return rejection;
        }

        if (methods.Length == 0 || languages.Length == 0)
        {
            return Rejection.Unprocessable("profile-incomplete", "A profile names at least one therapy method and one language.");
        }

        var events = new List<object>();
        if (!specialisations.SequenceEqual(therapist.Specialisations))
        {
            events.Add(new TherapistSpecialisationsSet(therapist.Id, specialisations, now));
        }

        if (!methods.SequenceEqual(therapist.Methods))
        {
            events.Add(new TherapistMethodsSet(therapist.Id, methods, now));
        }

        if (!languages.SequenceEqual(therapist.Languages))
        {
            events.Add(new TherapistLanguagesSet(therapist.Id, languages, now));
        }

        var biography = command.Biography.Trim();
        if (biography != therapist.Biography)
        {
            events.Add(new TherapistBiographyWritten(therapist.Id, biography, now));
        }

        if (command.FeePence != therapist.FeePence || command.SessionMinutes != therapist.SessionMinutes)
        {
            events.Add(new TherapistFeeSet(therapist.Id, command.FeePence, command.SessionMinutes, now));
        }

        return Decision.Accept(events);
    }

    private static string[] Normalise(IEnumerable<string> codes) =>
        codes.Select(c => c.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static Rejection? Unknown(string field, string[] codes, IReadOnlyDictionary<string, string> known)
    {
        var unknown = codes.Where(c => !known.ContainsKey(c)).ToArray();
        return unknown.Length == 0
            ? null
            : Rejection.Unprocessable($"unknown-{field}", $"Unknown {field}: {string.Join(", ", unknown)}.");
    }

    private static Rejection? FeeRule(int feePence, int sessionMinutes)
    {
        if (feePence is < 0 or > Catalogue.MaxFeePence)
        {
            return Rejection.Unprocessable("fee-range", $"A session fee is between 0 and {Catalogue.MaxFeePence} pence.");
        }

        return sessionMinutes is < Catalogue.MinSessionMinutes or > Catalogue.MaxSessionMinutes
            ? Rejection.Unprocessable("session-length-range",
                $"A session lasts between {Catalogue.MinSessionMinutes} and {Catalogue.MaxSessionMinutes} minutes.")
            : null;
    }
}

public sealed record TherapistSpecialisationsSet(Guid TherapistId, string[] Specialisations, DateTimeOffset SetAt);

public sealed record TherapistMethodsSet(Guid TherapistId, string[] Methods, DateTimeOffset SetAt);

public sealed record TherapistLanguagesSet(Guid TherapistId, string[] Languages, DateTimeOffset SetAt);

public sealed record TherapistBiographyWritten(Guid TherapistId, string Biography, DateTimeOffset WrittenAt);

public sealed record TherapistFeeSet(Guid TherapistId, int FeePence, int SessionMinutes, DateTimeOffset SetAt);
