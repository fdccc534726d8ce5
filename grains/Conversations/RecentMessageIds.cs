namespace Flexoraa.Conversations;

/// <summary>
/// A bounded set of the latest channel message ids: the cheap first line of dedup. The unique index on
/// <c>messages</c> is the second line, and catches what has fallen out of this window.
/// </summary>
public sealed class RecentMessageIds(int capacity)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Contains(string id) => _ids.Contains(id);

    public void Add(string id)
    {
        if (!_ids.Add(id)) return;
        _order.Enqueue(id);
        if (_order.Count > capacity) _ids.Remove(_order.Dequeue());
    }
}
