using System.Collections.Frozen;
using System.Reflection;

namespace EventSourcedClinic.Domain;

/// <summary>
/// Folds events into an aggregate through the aggregate's own <c>static From(first event)</c> and <c>When(event)</c>
/// methods, the one place each event is folded (ADR 0012): the store's projections, in-memory replays and tests all
/// fold through here, so a new event needs its <c>When</c> and nothing else. (Not Marten's conventional Create and
/// Apply: Marten would claim those for its own dispatch, which it generates only for the project that references it.)
/// </summary>
public static class Fold<T>
    where T : class
{
    private static readonly FrozenDictionary<Type, MethodInfo> Creates = Methods(BindingFlags.Public | BindingFlags.Static, "From");
    private static readonly FrozenDictionary<Type, MethodInfo> Applies = Methods(BindingFlags.Public | BindingFlags.Instance, "When");

    /// <summary>Every event type the aggregate folds.</summary>
    public static IReadOnlyCollection<Type> EventTypes { get; } = Creates.Keys.Concat(Applies.Keys).Distinct().ToArray();

    /// <summary>The state after one more event: created by the first, then applied; an event the aggregate does not know is refused.</summary>
    public static T Next(T? state, object e) =>
        state is null
            ? Creates.TryGetValue(e.GetType(), out var create) ? Invoke(create, null, e)
                : throw new InvalidOperationException($"A {typeof(T).Name} stream cannot start with {e.GetType().Name}.")
            : Applies.TryGetValue(e.GetType(), out var apply) ? Invoke(apply, state, e)
                : throw new InvalidOperationException($"A {typeof(T).Name} stream has no event {e.GetType().Name}.");

    /// <summary>The state after every event in order, from <paramref name="state"/> (none: the first event creates it).</summary>
    public static T? All(IEnumerable<object> events, T? state = null) => events.Aggregate(state, (current, e) => Next(current, e));

    private static T Invoke(MethodInfo method, T? target, object e)
    {
        try
        {
            return (T)method.Invoke(target, [e])!;
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }

    private static FrozenDictionary<Type, MethodInfo> Methods(BindingFlags flags, string name) =>
        typeof(T).GetMethods(flags | BindingFlags.DeclaredOnly)
            .Where(m => m.Name == name && m.ReturnType == typeof(T) && m.GetParameters().Length == 1)
            .ToFrozenDictionary(m => m.GetParameters()[0].ParameterType);
}
