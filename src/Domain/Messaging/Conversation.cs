namespace EventSourcedClinic.Domain.Messaging;

/// <summary>Who wrote: the patient, a therapist of their care team, or the clinic's desk (booking and billing questions).</summary>
public enum SenderRole
{
    Patient,
    Therapist,
    Desk,
}

/// <summary>One message as the conversation keeps it for its rules (the text itself is in the event, encrypted).</summary>
public sealed record ConversationMessage(Guid MessageId, int Sequence, Guid SenderId, string? ClientMessageId, bool Retracted);

/// <summary>
/// A patient's conversation with their care team and the clinic's desk: one stream per patient, part of the clinical
/// record. Messages are never deleted; a sender may retract one, which stays in the audit trail. Each reader's place is
/// kept (read receipts).
/// </summary>
public sealed record Conversation(Guid Id, Guid PatientId, ConversationMessage[] Messages, Dictionary<Guid, int> ReadUpTo)
{
    public const int MaximumLength = 4_000;

    private static readonly Guid Namespace = new("5e1b7c3a-9d24-4f8e-a6c1-2b0d8e7f4a19");

    public static Guid StreamId(Guid patientId) => NameBasedGuid.Create(Namespace, $"conversation/{patientId}");

    public int LastSequence => Messages.Length == 0 ? 0 : Messages[^1].Sequence;

    public static Conversation From(ConversationStarted e) => new(e.ConversationId, e.PatientId, [], []);

    public Conversation When(MessageSent e) =>
        this with { Messages = [.. Messages, new ConversationMessage(e.MessageId, e.Sequence, e.SenderId, e.ClientMessageId, false)] };

    public Conversation When(MessageRetracted e) =>
        this with { Messages = Messages.Select(m => m.MessageId == e.MessageId ? m with { Retracted = true } : m).ToArray() };

    public Conversation When(ConversationRead e) => this with { ReadUpTo = new Dictionary<Guid, int>(ReadUpTo) { [e.ReaderId] = e.UpToSequence } };
}

public sealed record ConversationStarted(Guid ConversationId, Guid PatientId, DateTimeOffset StartedAt);

/// <param name="Body">The text, encrypted under the patient's key (erasure makes it unreadable).</param>
/// <param name="ClientMessageId">The sender's own id for it, so that a retried send is one message.</param>
/// <param name="Attachments">Files attached to the conversation beforehand (sealed under the patient's key), that this message carries.</param>
public sealed record MessageSent(
    Guid ConversationId, Guid MessageId, int Sequence, Guid SenderId, SenderRole SenderRole, PersonalText Body, string? ClientMessageId, DateTimeOffset SentAt,
    Guid[]? Attachments = null);

public sealed record MessageRetracted(Guid ConversationId, Guid MessageId, Guid RetractedBy, DateTimeOffset RetractedAt);

/// <summary>A reader has seen every message up to a point (a read receipt).</summary>
public sealed record ConversationRead(Guid ConversationId, Guid ReaderId, int UpToSequence, DateTimeOffset ReadAt);

public static class SendMessage
{
    /// <summary>
    /// A message from a member (the caller has checked membership): its text trimmed, 1 to 4,000 characters, never
    /// empty; sent again with the same client id by the same sender, it is the message already sent.
    /// </summary>
    public static Decision Decide(
        Conversation? conversation, Guid patientId, Guid messageId, Guid senderId, SenderRole role, string body, string? clientMessageId, DateTimeOffset now,
        Guid[]? attachments = null)
    {
        var text = body.Trim();
        if (text.Length is 0 or > Conversation.MaximumLength)
        {
            return Rejection.Unprocessable("message-length", $"A message is 1 to {Conversation.MaximumLength} characters.");
        }

        if (clientMessageId is not null && (clientMessageId.Length is 0 or > 100 || !clientMessageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-')))
        {
            return Rejection.Unprocessable("client-message-id", "A client message id is 1 to 100 letters, digits, '_', '.', ':' or '-'.");
        }

        if (clientMessageId is not null && conversation?.Messages.Any(m => m.SenderId == senderId && m.ClientMessageId == clientMessageId) == true)
        {
            return Decision.Accept();
        }

        var id = conversation?.Id ?? Conversation.StreamId(patientId);
        object[] start = conversation is null ? [new ConversationStarted(id, patientId, now)] : [];
        return Decision.Accept([.. start,
            new MessageSent(id, messageId, (conversation?.LastSequence ?? 0) + 1, senderId, role, PersonalText.Of(patientId, text), clientMessageId, now,
                attachments is { Length: > 0 } ? attachments : null)]);
    }
}

public static class RetractMessage
{
    /// <summary>Only its sender retracts a message, once; it stays in the record as retracted.</summary>
    public static Decision Decide(Conversation? conversation, Guid messageId, Guid by, DateTimeOffset now) =>
        conversation?.Messages.FirstOrDefault(m => m.MessageId == messageId) is not { } message ? Rejection.NotFound("not-found", "No message with that id.")
        : message.SenderId != by ? Rejection.Conflict("not-yours", "Only the person who sent a message may retract it.")
        : message.Retracted ? Decision.Accept()
        : Decision.Accept(new MessageRetracted(conversation.Id, messageId, by, now));
}

public static class MarkRead
{
    /// <summary>A reader's place moves forward only, and not past the last message.</summary>
    public static Decision Decide(Conversation? conversation, Guid readerId, int upToSequence, DateTimeOffset now)
    {
        if (conversation is null)
        {
            return Decision.Accept();
        }

        var upTo = Math.Min(upToSequence, conversation.LastSequence);
        return upTo <= conversation.ReadUpTo.GetValueOrDefault(readerId)
            ? Decision.Accept()
            : Decision.Accept(new ConversationRead(conversation.Id, readerId, upTo, now));
    }
}
