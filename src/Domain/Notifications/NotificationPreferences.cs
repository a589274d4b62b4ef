namespace EventSourcedClinic.Domain.Notifications;

/// <summary>How a person is told things: by which channels, in which language, and not during their quiet hours.</summary>
public sealed record NotificationPreferences(Guid Id, Guid PersonId, string[] Channels, string Language, TimeOnly? QuietFrom, TimeOnly? QuietUntil)
{
    public static readonly string[] KnownChannels = ["email", "sms"];
    public static readonly string[] KnownLanguages = ["en", "cy"];

    private static readonly Guid Namespace = new("2f6a9c1e-7b3d-4e58-a0c4-9d1e8b7f6a23");

    public static Guid StreamId(Guid personId) => NameBasedGuid.Create(Namespace, $"notification-preferences/{personId}");

    /// <summary>Nobody asked otherwise: e-mail, in English, at any hour.</summary>
    public static NotificationPreferences Default(Guid personId) => new(StreamId(personId), personId, ["email"], "en", null, null);

    public static NotificationPreferences From(NotificationPreferencesSet e) => new(e.PreferencesId, e.PersonId, e.Channels, e.Language, e.QuietFrom, e.QuietUntil);

    public NotificationPreferences When(NotificationPreferencesSet e) => From(e);

    /// <summary>
    /// When the quiet hours that hold at <paramref name="ukNow"/> (a UK wall-clock time) end, or null when it is not
    /// quiet now. Quiet hours may run over midnight (21:00 to 08:00).
    /// </summary>
    public TimeSpan? QuietFor(TimeOnly ukNow)
    {
        if (QuietFrom is not { } from || QuietUntil is not { } until || from == until)
        {
            return null;
        }

        var quiet = from < until ? ukNow >= from && ukNow < until : ukNow >= from || ukNow < until;
        return quiet ? until - ukNow : null;
    }
}

public sealed record NotificationPreferencesSet(
    Guid PreferencesId, Guid PersonId, string[] Channels, string Language, TimeOnly? QuietFrom, TimeOnly? QuietUntil, DateTimeOffset SetAt);

public sealed record SetNotificationPreferences(string[] Channels, string Language, TimeOnly? QuietFrom, TimeOnly? QuietUntil)
{
    public static Decision Decide(Guid personId, SetNotificationPreferences command, DateTimeOffset now)
    {
        var channels = command.Channels.Select(c => c.Trim().ToLowerInvariant()).Distinct().ToArray();
        if (channels.Length == 0 || channels.Any(c => !NotificationPreferences.KnownChannels.Contains(c)))
        {
            return Rejection.Unprocessable("channels", "Choose at least one of: email, sms.");
        }

        if (!NotificationPreferences.KnownLanguages.Contains(command.Language))
        {
            return Rejection.Unprocessable("language", "The language is en (English) or cy (Cymraeg).");
        }

        return (command.QuietFrom is null) != (command.QuietUntil is null)
            ? Rejection.Unprocessable("quiet-hours", "Quiet hours have both a start and an end, or neither.")
            : Decision.Accept(new NotificationPreferencesSet(NotificationPreferences.StreamId(personId), personId, channels, command.Language,
                command.QuietFrom, command.QuietUntil, now));
    }
}
