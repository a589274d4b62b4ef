namespace EventSourcedClinic.Domain.Notifications;

/// <summary>How a person is told things: by which channels, in which language, and not during their quiet hours.</summary>
public sealed record NotificationPreferences(Guid Id, Guid PersonId, string[] Channels, string Language, TimeOnly? QuietFrom, TimeOnly? QuietUntil)
{
    public static readonly string[] KnownChannels = ["email", "sms", "push"];

    /// <summary>The browsers and devices the person let the clinic notify (Web Push), newest last.</summary>
    public PushDevice[] PushDevices { get; init; } = [];

    /// <summary>At most this many devices per person: a new one beyond it replaces the oldest.</summary>
    public const int MaxPushDevices = 10;
    public static readonly string[] KnownLanguages = ["en", "cy"];

    private static readonly Guid Namespace = new("2f6a9c1e-7b3d-4e58-a0c4-9d1e8b7f6a23");

    public static Guid StreamId(Guid personId) => NameBasedGuid.Create(Namespace, $"notification-preferences/{personId}");

    /// <summary>Nobody asked otherwise: e-mail, in English, at any hour.</summary>
    public static NotificationPreferences Default(Guid personId) => new(StreamId(personId), personId, ["email"], "en", null, null);

    public static NotificationPreferences From(NotificationPreferencesSet e) => new(e.PreferencesId, e.PersonId, e.Channels, e.Language, e.QuietFrom, e.QuietUntil);

    public static NotificationPreferences From(PushDeviceAdded e) => Default(e.PersonId).When(e);

    public NotificationPreferences When(NotificationPreferencesSet e) => From(e) with { PushDevices = PushDevices };

    public NotificationPreferences When(PushDeviceAdded e) => this with
    {
        PushDevices = [.. PushDevices.Where(d => d.Endpoint.Value != e.Endpoint.Value), new PushDevice(e.DeviceId, e.Endpoint, e.P256dh, e.Auth, e.AddedAt)],
    };

    public NotificationPreferences When(PushDeviceRemoved e) => this with { PushDevices = [.. PushDevices.Where(d => d.DeviceId != e.DeviceId)] };

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

/// <summary>
/// A browser's push subscription: where its push service takes messages for it, and the keys that encrypt them for it
/// alone (RFC 8291). All three are the person's, kept encrypted (whoever holds them can write to the device).
/// </summary>
public sealed record PushDevice(Guid DeviceId, PersonalText Endpoint, PersonalText P256dh, PersonalText Auth, DateTimeOffset AddedAt);

public sealed record PushDeviceAdded(
    Guid PreferencesId, Guid PersonId, Guid DeviceId, PersonalText Endpoint, PersonalText P256dh, PersonalText Auth, DateTimeOffset AddedAt);

/// <param name="Reason">"person" (they turned it off) or "gone" (the push service says the subscription has expired).</param>
public sealed record PushDeviceRemoved(Guid PreferencesId, Guid PersonId, Guid DeviceId, string Reason, DateTimeOffset RemovedAt);

public static class PushDevices
{
    /// <summary>
    /// A device subscribes: the same endpoint again is the same device (nothing new); beyond the limit, the oldest is let
    /// go. The endpoint's address was checked at the edge (only push services the clinic trusts).
    /// </summary>
    public static Decision Add(NotificationPreferences? current, Guid personId, Guid newId, string endpoint, string p256dh, string auth, DateTimeOffset now)
    {
        var streamId = NotificationPreferences.StreamId(personId);
        if (current?.PushDevices.FirstOrDefault(d => d.Endpoint.Value == endpoint) is { } known
            && known.P256dh.Value == p256dh && known.Auth.Value == auth)
        {
            return Decision.Accept();
        }

        var others = (current?.PushDevices ?? []).Where(d => d.Endpoint.Value != endpoint).ToArray();
        return Decision.Accept(
        [
            .. others.Take(Math.Max(0, others.Length + 1 - NotificationPreferences.MaxPushDevices))
                .Select(d => (object)new PushDeviceRemoved(streamId, personId, d.DeviceId, "replaced", now)),
            new PushDeviceAdded(streamId, personId, newId, PersonalText.Of(personId, endpoint), PersonalText.Of(personId, p256dh), PersonalText.Of(personId, auth), now),
        ]);
    }

    /// <summary>The push service says these subscriptions are gone: each one still listed is let go.</summary>
    public static Decision Forget(NotificationPreferences? current, Guid personId, IReadOnlyCollection<Guid> deviceIds, DateTimeOffset now) =>
        Decision.Accept((current?.PushDevices ?? []).Where(d => deviceIds.Contains(d.DeviceId))
            .Select(d => (object)new PushDeviceRemoved(NotificationPreferences.StreamId(personId), personId, d.DeviceId, "gone", now)));

    public static Decision Remove(NotificationPreferences? current, Guid personId, Guid deviceId, string reason, DateTimeOffset now) =>
        current?.PushDevices.Any(d => d.DeviceId == deviceId) == true
            ? Decision.Accept(new PushDeviceRemoved(NotificationPreferences.StreamId(personId), personId, deviceId, reason, now))
            : reason == "person" ? Rejection.NotFound("not-found", "No such device.") : Decision.Accept();
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
            return Rejection.Unprocessable("channels", "Choose at least one of: email, sms, push.");
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
