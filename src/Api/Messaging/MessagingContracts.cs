using EventSourcedClinic.Domain.Messaging;
using JasperFx.Events;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>Shown with every conversation: the service is not for emergencies.</summary>
public static class EmergencyNotice
{
    public const string Text =
        "This service is not for emergencies. If you or someone else is in danger now, call 999. For urgent mental health help, " +
        "call NHS 111 and choose option 2. To talk to someone any time, call Samaritans free on 116 123.";
}

/// <param name="Body">Null once retracted, or when the patient's data has been erased.</param>
/// <param name="Attachments">The files it carries: GET /api/conversations/{patientId}/attachments/{id}.</param>
public sealed record MessageView(
    Guid MessageId, int Sequence, Guid SenderId, SenderRole SenderRole, string? SenderName, string? Body, DateTimeOffset SentAt, bool Retracted,
    Guid[] Attachments)
{
    /// <summary>The messages of a conversation's events, with each one's retraction applied.</summary>
    public static List<MessageView> From(IEnumerable<IEvent> events, IReadOnlyDictionary<Guid, string> names)
    {
        var messages = new List<MessageView>();
        foreach (var data in events.Select(e => e.Data))
        {
            switch (data)
            {
                case MessageSent sent:
                    messages.Add(new MessageView(sent.MessageId, sent.Sequence, sent.SenderId, sent.SenderRole,
                        sent.SenderRole == SenderRole.Desk ? "Clinic desk" : names.GetValueOrDefault(sent.SenderId), sent.Body.Value, sent.SentAt, false,
                        sent.Attachments ?? []));
                    break;
                case MessageRetracted retracted when messages.FindIndex(m => m.MessageId == retracted.MessageId) is var i and >= 0:
                    messages[i] = messages[i] with { Body = null, Retracted = true, Attachments = [] };
                    break;
            }
        }

        return messages;
    }
}

/// <param name="ReadUpTo">Each member's place: the last message they have seen (read receipts).</param>
public sealed record ConversationView(Guid PatientId, string EmergencyNotice, MessageView[] Messages, bool HasEarlier, Dictionary<Guid, int> ReadUpTo);

/// <param name="AttachmentIds">Files this member attached to the conversation first (POST .../attachments), at most five.</param>
public sealed record SendMessageRequest(string Body, string? ClientMessageId = null, Guid[]? AttachmentIds = null);

/// <summary>A message accepted: its id and its place in the conversation (the same for a retried send).</summary>
public sealed record MessageAccepted(Guid MessageId, int Sequence);

public sealed record MarkReadRequest(int UpToSequence);

/// <summary>What a hub client is told when it joins: the notice, and where the conversation stands.</summary>
public sealed record ConversationJoined(Guid PatientId, string EmergencyNotice, int LastSequence);

/// <summary>Someone is typing (ephemeral: never stored).</summary>
public sealed record Typing(Guid PatientId, Guid SenderId);

public sealed record ReadReceipt(Guid PatientId, Guid ReaderId, int UpToSequence);

public sealed record Retraction(Guid PatientId, Guid MessageId);
