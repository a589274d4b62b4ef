using EventSourcedClinic.Domain.Messaging;
using Microsoft.AspNetCore.SignalR;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>
/// Read receipts and retractions, for the REST routes and the hub alike; members are told once it is committed. Like a
/// send, they queue on the conversation's row lock, so a receipt never fails because a message was being sent.
/// </summary>
public static class ConversationWrites
{
    public static async Task<ProblemDetails?> MarkReadAsync(
        IDocumentStore store, Actor reader, Guid patientId, int upToSequence, TimeProvider time, IClientProxy members, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, reader, Guid.NewGuid().ToString("N"), "conversation read");
        var stream = await session.ForExclusiveWritingAsync<Conversation>(Conversation.StreamId(patientId), cancellation);
        var written = stream.Append(MarkRead.Decide(stream.Aggregate, reader.UserId!.Value, upToSequence, time.GetUtcNow()));
        if (written.Events.OfType<ConversationRead>().FirstOrDefault() is { } read)
        {
            await session.SaveChangesAsync(cancellation);
            await members.SendAsync("read", new ReadReceipt(patientId, read.ReaderId, read.UpToSequence), cancellation);
        }

        return written.Refused;
    }

    public static async Task<ProblemDetails?> RetractAsync(
        IDocumentStore store, Actor sender, Guid patientId, Guid messageId, TimeProvider time, IClientProxy members, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, sender, Guid.NewGuid().ToString("N"), "message retracted");
        var stream = await session.ForExclusiveWritingAsync<Conversation>(Conversation.StreamId(patientId), cancellation);
        var written = stream.Append(RetractMessage.Decide(stream.Aggregate, messageId, sender.UserId!.Value, time.GetUtcNow()));
        if (written.Refused is null && written.Events.Count > 0)
        {
            await session.SaveChangesAsync(cancellation);
            await members.SendAsync("retracted", new Retraction(patientId, messageId), cancellation);
        }

        return written.Refused;
    }
}
