using EventSourcedClinic.Domain;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections;

/// <summary>
/// A stream folded into its domain aggregate, live or stored, by the domain's own <see cref="Fold{T}"/> (ADR 0012): the
/// aggregate's <c>From</c> and <c>When</c> methods are the one place each event is folded, for the store as for
/// in-memory replays. The events it listens to are the ones the aggregate folds. The domain stays free of Marten: this
/// is the only Marten type between them (ADR 0001).
/// </summary>
public sealed class StreamFold<T> : SingleStreamProjection<T, Guid>
    where T : class
{
    public StreamFold()
    {
        Name = typeof(T).Name;
        foreach (var type in Fold<T>.EventTypes)
        {
            IncludeType(type);
        }
    }

    public override T? Evolve(T? snapshot, Guid id, IEvent e) => Fold<T>.Next(snapshot, e.Data);
}
