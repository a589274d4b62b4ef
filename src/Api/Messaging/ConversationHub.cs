using System.Collections.Concurrent;
using EventSourcedClinic.Domain.Messaging;
using Microsoft.AspNetCore.SignalR;
using Wolverine;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>
/// Live conversation (<c>/hubs/conversations</c>, a bearer token, or <c>access_token</c> in the query string for
/// WebSockets). A client joins a patient's conversation (membership checked, and a clinician's join written to the
/// patient's access log), then receives <c>message</c>, <c>retracted</c>, <c>read</c> and <c>typing</c>; it sends
/// messages, read receipts and typing indicators. Sending is the same write as the REST route; a connection that sends
/// faster than <see cref="MessagesPerWindow"/> in <see cref="Window"/> is told to slow down.
/// </summary>
[Authorize]
public sealed class ConversationHub(
    IDocumentStore store, ConversationMembership membership, AccessLog accessLog, IMessageBus bus, ConversationPresence presence, TimeProvider time)
    : Hub
{
    public const string Path = "/hubs/conversations";
    public const int MessagesPerWindow = 10;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private Actor Caller => Actor.From(Context.User!);

    private ConcurrentDictionary<Guid, SenderRole> Joined => Item<ConcurrentDictionary<Guid, SenderRole>>("joined");

    private T Item<T>(string key)
        where T : new()
    {
        lock (Context.Items)
        {
            if (!Context.Items.TryGetValue(key, out var value) || value is not T item)
            {
                item = new T();
                Context.Items[key] = item;
            }

            return item;
        }
    }

    public override Task OnConnectedAsync()
    {
        if (Caller.UserId is { } id)
        {
            presence.Connected(id);
        }

        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Caller.UserId is { } id)
        {
            presence.Disconnected(id);
        }

        return base.OnDisconnectedAsync(exception);
    }

    public async Task<ConversationJoined> Join(Guid patientId)
    {
        await using var session = store.QuerySession();
        var (role, purpose, refused) = await membership.CheckAsync(Caller, patientId, session, Context.ConnectionAborted);
        if (refused is not null)
        {
            throw new HubException(refused.Detail);
        }

        var streamId = Conversation.StreamId(patientId);
        if (role != SenderRole.Patient && Context.GetHttpContext() is { } http)
        {
            await accessLog.RecordAsync(http, new PatientRead(patientId, purpose, null, [(RecordTypes.Conversation, streamId)]), Context.ConnectionAborted);
        }

        Joined[patientId] = role;
        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationMembership.Group(patientId), Context.ConnectionAborted);
        var state = await session.Events.FetchStreamStateAsync(streamId, Context.ConnectionAborted);
        var last = state is null ? 0 : (await session.Events.AggregateStreamAsync<Conversation>(streamId, token: Context.ConnectionAborted))?.LastSequence ?? 0;
        return new ConversationJoined(patientId, EmergencyNotice.Text, last);
    }

    public async Task<MessageAccepted> Send(Guid patientId, string body, string? clientMessageId)
    {
        var role = await MemberAsync(patientId);
        if (!WithinRate())
        {
            throw new HubException($"Too many messages: at most {MessagesPerWindow} every {Window.TotalSeconds:0} seconds. Wait a moment.");
        }

        var sent = await ConversationCommands.SendAsync(bus,
            new SendConversationMessage(patientId, Caller, role, body ?? "", clientMessageId, $"hub {Path}"), Context.ConnectionAborted);
        return sent.Refused is { } refused ? throw new HubException(refused.Detail) : new MessageAccepted(sent.MessageId!.Value, sent.Sequence);
    }

    public async Task Typing(Guid patientId)
    {
        await MemberAsync(patientId);
        await Clients.OthersInGroup(ConversationMembership.Group(patientId)).SendAsync("typing", new Typing(patientId, Caller.UserId!.Value));
    }

    public async Task MarkRead(Guid patientId, int upToSequence)
    {
        await MemberAsync(patientId);
        await ConversationWrites.MarkReadAsync(store, Caller, patientId, upToSequence, time, Clients.Group(ConversationMembership.Group(patientId)),
            Context.ConnectionAborted);
    }

    /// <summary>Joined on this connection, and still a member now (a therapist who has left the care team is refused).</summary>
    private async Task<SenderRole> MemberAsync(Guid patientId)
    {
        if (!Joined.ContainsKey(patientId))
        {
            throw new HubException("Join the conversation first.");
        }

        var (role, refused) = await membership.CheckAsync(Caller, patientId, store, Context.ConnectionAborted);
        if (refused is not null)
        {
            Joined.TryRemove(patientId, out _);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, ConversationMembership.Group(patientId));
            throw new HubException(refused.Detail);
        }

        return role;
    }

    private bool WithinRate()
    {
        var sends = Item<Queue<DateTimeOffset>>("sends");
        var now = time.GetUtcNow();
        lock (sends)
        {
            while (sends.Count > 0 && now - sends.Peek() > Window)
            {
                sends.Dequeue();
            }

            if (sends.Count >= MessagesPerWindow)
            {
                return false;
            }

            sends.Enqueue(now);
            return true;
        }
    }
}
