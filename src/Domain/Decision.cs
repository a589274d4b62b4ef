namespace EventSourcedClinic.Domain;

/// <summary>Why a command was refused; the edge turns the kind into an HTTP status.</summary>
public enum RejectionKind
{
    NotFound,
    Conflict,
    Unprocessable,
}

public sealed record Rejection(RejectionKind Kind, string Rule, string Detail)
{
    public static Rejection NotFound(string rule, string detail) => new(RejectionKind.NotFound, rule, detail);
    public static Rejection Conflict(string rule, string detail) => new(RejectionKind.Conflict, rule, detail);
    public static Rejection Unprocessable(string rule, string detail) => new(RejectionKind.Unprocessable, rule, detail);
}

/// <summary>The result of a decision: the events to append, or the rule that refused the command.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<object> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<object> Events { get; }

    public Rejection? Rejection { get; }

    public bool IsAccepted => Rejection is null;

    public static Decision Accept(params object[] events) => new(events, null);

    public static Decision Accept(IEnumerable<object> events) => new(events.ToArray(), null);

    public static Decision Reject(Rejection rejection) => new([], rejection);

    public static implicit operator Decision(Rejection rejection) => Reject(rejection);
}
