namespace EventSourcedClinic.Api.Kernel;

/// <summary>
/// The clock Marten stamps events with: the clinic's clock, except inside <see cref="Backdate"/>, which only the demo
/// seeding uses to write a history of past weeks as if it had been recorded at the time (so that viewing a record
/// "as it stood a month ago" shows something in a fresh demo). The override is per async flow, never global.
/// </summary>
public sealed class EventClock(TimeProvider clinic) : TimeProvider
{
    private static readonly AsyncLocal<DateTimeOffset?> Backdated = new();

    public override DateTimeOffset GetUtcNow() => Backdated.Value ?? clinic.GetUtcNow();

    public static IDisposable Backdate(DateTimeOffset at)
    {
        var previous = Backdated.Value;
        Backdated.Value = at.ToUniversalTime();
        return new Restore(previous);
    }

    private sealed class Restore(DateTimeOffset? previous) : IDisposable
    {
        public void Dispose() => Backdated.Value = previous;
    }
}
