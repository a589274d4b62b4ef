using System.Collections.Concurrent;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>
/// Who has a live connection to the conversations hub on this node, by user: a member connected here gets a message
/// live, not by e-mail. (Across nodes each node knows its own connections; a person connected only to another node may
/// also get the notice.)
/// </summary>
public sealed class ConversationPresence
{
    private readonly ConcurrentDictionary<Guid, int> _connections = new();

    public void Connected(Guid userId) => _connections.AddOrUpdate(userId, 1, (_, n) => n + 1);

    public void Disconnected(Guid userId)
    {
        if (_connections.AddOrUpdate(userId, 0, (_, n) => Math.Max(0, n - 1)) == 0)
        {
            _connections.TryRemove(new KeyValuePair<Guid, int>(userId, 0));
        }
    }

    public bool IsConnected(Guid userId) => _connections.TryGetValue(userId, out var n) && n > 0;
}
