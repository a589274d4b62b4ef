namespace EventSourcedClinic.Domain;

/// <summary>
/// A command to an existing stream names the version of the stream the caller read. If the stream has moved on
/// since, the command is refused as a conflict rather than applied to a state the caller never saw.
/// </summary>
public interface IExpectVersion
{
    long ExpectedVersion { get; }
}
