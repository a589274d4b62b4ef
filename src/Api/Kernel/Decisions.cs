using JasperFx.Events;

namespace EventSourcedClinic.Api.Kernel;

/// <summary>What a write to an existing stream answers: the stream id and its version after the write.</summary>
public sealed record StreamVersion(Guid Id, long Version);

/// <summary>The glue between a Wolverine endpoint on an existing stream and a pure Decide function.</summary>
public static class Decisions
{
    /// <summary>
    /// For a Validate method: the request's shape first (400), then the stream's existence (404), then the version the
    /// caller read (409), then the decision (409/422). Marten checks the version again when it commits, so a write that
    /// lands between this check and the commit is a 409 too.
    /// </summary>
    public static ProblemDetails Check<TCommand, TState>(
        TCommand command, IValidator<TCommand> validator, IEventStream<TState> stream, string what, Func<TState, Decision> decide)
        where TCommand : IExpectVersion
        where TState : class
    {
        var invalid = Problems.Validate(command, validator);
        if (invalid.Status >= 400)
        {
            return invalid;
        }

        if (stream.Aggregate is not { } state || command is null)
        {
            return Problems.NotFound(what);
        }

        var current = stream.StartingVersion ?? 0;
        return command.ExpectedVersion != current ? Problems.StaleVersion(what, current, command.ExpectedVersion) : Problems.Of(decide(state));
    }

    /// <summary>For the endpoint itself: append what was decided and answer with the new version.</summary>
    public static StreamVersion Append<TState>(this IEventStream<TState> stream, Decision decision)
        where TState : class
    {
        if (decision.Rejection is { } rejection)
        {
            throw new InvalidOperationException($"A refused command reached its endpoint: {rejection.Rule}");
        }

        stream.AppendMany(decision.Events.ToArray());
        return new StreamVersion(stream.Id, (stream.StartingVersion ?? 0) + decision.Events.Count);
    }
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
