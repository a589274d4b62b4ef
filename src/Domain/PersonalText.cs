namespace EventSourcedClinic.Domain;

/// <summary>
/// Personal or clinical text that belongs to one patient (a name, an NHS number, a session note). The event store keeps
/// it encrypted with that patient's own key, so destroying the key erases it everywhere (ADR 0008); a value read after
/// that has no text.
/// </summary>
public readonly record struct PersonalText(Guid OwnerId, string? Value)
{
    public bool IsErased => Value is null;

    public static PersonalText Of(Guid ownerId, string value) => new(ownerId, value);

    public override string ToString() => Value ?? "[erased]";
}
