namespace EventSourcedClinic.Api.Kernel;

/// <summary>What a write answers: the stream id and its version after the write.</summary>
public sealed record StreamVersion(Guid Id, long Version);

/// <summary>The outcome of one write: the events appended, the version after them and the state before; or the problem that refused it.</summary>
public sealed record Written<TState>(Guid StreamId, long Version, IReadOnlyList<object> Events, TState? Before, ProblemDetails? Refused)
    where TState : class
{
    public StreamVersion Answer => new(StreamId, Version);

    /// <summary>200 with the new version (or <paramref name="body"/>), or the problem.</summary>
    public IResult Ok(object? body = null) => Refused is { } problem ? Results.Problem(problem) : Results.Ok(body ?? Answer);

    /// <summary>201 at <paramref name="location"/> with the new version (or <paramref name="body"/>), or the problem.</summary>
    public IResult Created(string location, object? body = null) =>
        Refused is { } problem ? Results.Problem(problem) : Results.Created(location, body ?? Answer);
}

/// <summary>
/// The clinic's one way to write events (ADR 0012): load the stream, check who may act on it and the version its caller
/// read, decide once, append. Marten checks the version again at commit, so a write that lands in between is a 409.
/// Follow-up messages are sent through Wolverine's outbox in the same transaction, so nothing leaves before the commit.
/// The request's shape is checked before, by the endpoint's <c>Validate</c>; nothing here does I/O but the stream's.
/// </summary>
public static class StreamWrites
{
    /// <summary>
    /// A change to an existing stream. In order: not found (404) when there is no such stream, the refusal of
    /// <paramref name="guard"/> or <paramref name="guardAsync"/> (who may act on it: a 404 for what the caller may not
    /// know exists, a 403 for what they may not do), a stale version (409), the decision's refusal; then the events are
    /// appended.
    /// </summary>
    public static Task<Written<TState>> ChangeAsync<TState>(
        this IDocumentSession session, Guid streamId, string what, long expectedVersion, Func<TState, Decision> decide,
        CancellationToken cancellation, Func<TState, ProblemDetails?>? guard = null, Func<TState, Task<ProblemDetails?>>? guardAsync = null)
        where TState : class =>
        ChangeAsync(session, streamId, what, expectedVersion, guard, guardAsync, state => Task.FromResult(decide(state)), cancellation);

    /// <summary>
    /// The same, for a decision that needs more than the stream: <paramref name="load"/> reads it (from read models) once
    /// the stream is found and the caller let in, and the decision stays a pure function of both.
    /// </summary>
    public static Task<Written<TState>> ChangeAsync<TState, TContext>(
        this IDocumentSession session, Guid streamId, string what, long expectedVersion, Func<TState, Task<TContext>> load,
        Func<TState, TContext, Decision> decide, CancellationToken cancellation, Func<TState, ProblemDetails?>? guard = null)
        where TState : class =>
        ChangeAsync(session, streamId, what, expectedVersion, guard, null, async state => decide(state, await load(state)), cancellation);

    private static async Task<Written<TState>> ChangeAsync<TState>(
        IDocumentSession session, Guid streamId, string what, long expectedVersion, Func<TState, ProblemDetails?>? guard,
        Func<TState, Task<ProblemDetails?>>? guardAsync, Func<TState, Task<Decision>> decide, CancellationToken cancellation)
        where TState : class
    {
        var stream = await session.Events.FetchForWriting<TState>(streamId, cancellation);
        if (stream.Aggregate is not { } state)
        {
            return Refuse<TState>(streamId, Problems.NotFound(what));
        }

        var refused = guard?.Invoke(state) ?? (guardAsync is null ? null : await guardAsync(state));
        if (refused is not null)
        {
            return Refuse<TState>(streamId, refused);
        }

        var current = stream.CurrentVersion ?? 0;
        return expectedVersion != current
            ? Refuse<TState>(streamId, Problems.StaleVersion(what, current, expectedVersion))
            : Append(stream, state, await decide(state));
    }

    /// <summary>
    /// An append to a stream that only grows and may not exist yet (consent, history, outcomes): it needs no expected
    /// version, as no decision depends on an earlier one but to skip a repeat.
    /// </summary>
    public static async Task<Written<TState>> AppendAsync<TState>(
        this IDocumentSession session, Guid streamId, Func<TState?, Decision> decide, CancellationToken cancellation)
        where TState : class
    {
        var stream = await session.Events.FetchForWriting<TState>(streamId, cancellation);
        return Append(stream, stream.Aggregate, decide(stream.Aggregate));
    }

    /// <summary>
    /// A write to a stream that may not exist yet, at the version its caller read (0 for none yet): the first such write
    /// starts it. A stale version is a 409.
    /// </summary>
    public static async Task<Written<TState>> AppendAsync<TState>(
        this IDocumentSession session, Guid streamId, string what, long expectedVersion, Func<TState?, Decision> decide, CancellationToken cancellation)
        where TState : class
    {
        var stream = await session.Events.FetchForWriting<TState>(streamId, cancellation);
        var current = stream.CurrentVersion ?? 0;
        return expectedVersion != current
            ? Refuse<TState>(streamId, Problems.StaleVersion(what, current, expectedVersion))
            : Append(stream, stream.Aggregate, decide(stream.Aggregate));
    }

    /// <summary>A new stream, started with what was decided; a stream with that id already there is a 409 at commit.</summary>
    public static Written<TState> Start<TState>(this IDocumentSession session, Guid streamId, Decision decision)
        where TState : class
    {
        if (decision.Rejection is { } rejection)
        {
            return Refuse<TState>(streamId, Problems.From(rejection));
        }

        session.Events.StartStream<TState>(streamId, decision.Events.ToArray());
        return new Written<TState>(streamId, decision.Events.Count, decision.Events, null, null);
    }

    /// <summary>
    /// A stream fetched once for several decisions made in one transaction (a FHIR Bundle with several measures of one
    /// patient); each is then appended with <see cref="Append{TState}(JasperFx.Events.IEventStream{TState}, Decision)"/>.
    /// </summary>
    public static Task<JasperFx.Events.IEventStream<TState>> ForWritingAsync<TState>(this IDocumentSession session, Guid streamId, CancellationToken cancellation)
        where TState : class => session.Events.FetchForWriting<TState>(streamId, cancellation);

    /// <summary>
    /// A stream fetched with a row lock held until the transaction commits: writers to one busy stream (a conversation)
    /// queue behind each other instead of failing the version check and deciding again.
    /// </summary>
    public static Task<JasperFx.Events.IEventStream<TState>> ForExclusiveWritingAsync<TState>(this IDocumentSession session, Guid streamId, CancellationToken cancellation)
        where TState : class => session.Events.FetchForExclusiveWriting<TState>(streamId, cancellation);

    public static Written<TState> Append<TState>(this JasperFx.Events.IEventStream<TState> stream, Decision decision)
        where TState : class => Append(stream, stream.Aggregate, decision);

    private static Written<TState> Append<TState>(JasperFx.Events.IEventStream<TState> stream, TState? before, Decision decision)
        where TState : class
    {
        if (decision.Rejection is { } rejection)
        {
            return Refuse<TState>(stream.Id, Problems.From(rejection));
        }

        var version = stream.CurrentVersion ?? 0;
        stream.AppendMany(decision.Events.ToArray());
        return new Written<TState>(stream.Id, version + decision.Events.Count, decision.Events, before, null);
    }

    private static Written<TState> Refuse<TState>(Guid streamId, ProblemDetails problem)
        where TState : class => new(streamId, 0, [], null, problem);
}

/// <summary>The shape check of a command that carries nothing but the version its caller read.</summary>
public sealed class ExpectedVersionValidator<TCommand> : AbstractValidator<TCommand>
    where TCommand : IExpectVersion
{
    /// <summary>Built once: building a validator compiles its rules.</summary>
    public static readonly ExpectedVersionValidator<TCommand> Instance = new();

    public ExpectedVersionValidator() =>
        RuleFor(x => x.ExpectedVersion).GreaterThan(0).WithMessage("'expectedVersion' is the version you read (1 or more).");
}

/// <summary>The request body of a command that carries nothing but the version its caller read (start, sign, complete, ...).</summary>
public sealed record VersionedRequest(long ExpectedVersion) : IExpectVersion;
