using EventSourcedClinic.Api.Notifications;
using EventSourcedClinic.Domain.Messaging;
using EventSourcedClinic.Projections.Therapists;
using JasperFx.Events;
using Microsoft.AspNetCore.SignalR;
using Wolverine;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>A member sends a message (membership already checked by the caller, REST or hub).</summary>
public sealed record SendConversationMessage(Guid PatientId, Actor Sender, SenderRole Role, string Body, string? ClientMessageId, string Via, Guid[]? Attachments = null);

/// <summary>The message as sent (or as sent before, for a retried client id), or why not.</summary>
public sealed record SentMessage(Guid? MessageId, int Sequence, ProblemDetails? Refused);

/// <summary>A message committed: to deliver live to the conversation's members, and by notice to those not connected.</summary>
public sealed record MessagePosted(Guid PatientId, Guid MessageId, Guid SenderId, SenderRole Role);

/// <summary>
/// The conversation's writes, through Wolverine so that what follows a message (live delivery, notices) leaves only
/// once it is committed (the outbox). Concurrent senders to one conversation queue on the stream's row lock, so every
/// message gets the next sequence number; the two first messages that both start a conversation meet at commit, and the
/// loser is tried again. None is lost.
/// </summary>
public static class ConversationCommands
{
    private const int Attempts = 20;

    public static async Task<SentMessage> SendAsync(IMessageBus bus, SendConversationMessage command, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await bus.InvokeAsync<SentMessage>(command, cancellation);
            }
            catch (Exception e) when (attempt < Attempts && e is JasperFx.ConcurrencyException or JasperFx.Events.ExistingStreamIdCollisionException
                                          or Marten.Exceptions.ExistingStreamIdCollisionException)
            {
                // Another message was committed first (the first two messages of a conversation both starting it): decide again.
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), cancellation);
            }
        }
    }
}

public static class SendConversationMessageHandler
{
    public static async Task<(SentMessage, OutgoingMessages)> Handle(
        SendConversationMessage command, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        AuditStamp.Apply(session, command.Sender, Guid.NewGuid().ToString("N"), $"{command.Via}#{command.ClientMessageId}");
        var stream = await session.ForExclusiveWritingAsync<Conversation>(Conversation.StreamId(command.PatientId), cancellation);
        var written = stream.Append(SendMessage.Decide(stream.Aggregate, command.PatientId, Guid.CreateVersion7(), command.Sender.UserId!.Value, command.Role,
            command.Body, command.ClientMessageId, time.GetUtcNow(), command.Attachments));
        if (written.Refused is { } refused)
        {
            return (new SentMessage(null, 0, refused), []);
        }

        if (written.Events.OfType<MessageSent>().FirstOrDefault() is not { } sent)
        {
            var earlier = written.Before!.Messages.First(m => m.SenderId == command.Sender.UserId && m.ClientMessageId == command.ClientMessageId);
            return (new SentMessage(earlier.MessageId, earlier.Sequence, null), []);
        }

        return (new SentMessage(sent.MessageId, sent.Sequence, null), [new MessagePosted(command.PatientId, sent.MessageId, sent.SenderId, sent.SenderRole)]);
    }
}

/// <summary>
/// Delivers a committed message to every connected member (on any node, through the backplane when there is one) and
/// tells the members who are not connected by a notice that never carries the message.
/// </summary>
public static class MessagePostedHandler
{
    public static async Task<OutgoingMessages> Handle(
        MessagePosted posted, IQuerySession session, IHubContext<ConversationHub> hub, ConversationPresence presence, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(Conversation.StreamId(posted.PatientId), token: cancellation);
        var names = await SenderNamesAsync(session, events, cancellation);
        if (MessageView.From(events, names).FirstOrDefault(m => m.MessageId == posted.MessageId) is { } message)
        {
            await hub.Clients.Group(ConversationMembership.Group(posted.PatientId)).SendAsync("message", posted.PatientId, message, cancellation);
        }

        var recipients = posted.Role == SenderRole.Patient
            ? await PatientAccess.CareTeamOfAsync(session, posted.PatientId, cancellation)
            : [posted.PatientId];
        var (kind, subject, body) = posted.Role switch
        {
            SenderRole.Patient => ("new-message-from-patient", "New message from a patient", "A patient in your care has sent you a message."),
            SenderRole.Therapist => ("new-message-from-therapist", "You have a new message from your therapist", "Your therapist has sent you a message."),
            _ => ("new-message-from-clinic", "You have a new message from the clinic", "The clinic has sent you a message."),
        };
        return [.. recipients.Where(r => r != posted.SenderId && !presence.IsConnected(r)).Select(r => new Notification(r, kind, subject, body))];
    }

    public static async Task<IReadOnlyDictionary<Guid, string>> SenderNamesAsync(IQuerySession session, IEnumerable<IEvent> events, CancellationToken cancellation)
    {
        var therapists = events.Select(e => e.Data).OfType<MessageSent>().Where(m => m.SenderRole == SenderRole.Therapist).Select(m => m.SenderId).Distinct().ToArray();
        return therapists.Length == 0
            ? new Dictionary<Guid, string>()
            : (await session.LoadManyAsync<TherapistDirectoryEntry>(cancellation, therapists)).ToDictionary(t => t.Id, t => t.FullName);
    }
}
