using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// This host's open inbox connections, so a membership change can close a user's connections: a connection keeps the
/// role it was authenticated with, and a removed or demoted user must not keep receiving what the old role allowed.
/// Closed connections reconnect and are checked afresh. It also counts each user's revocations, so that
/// <see cref="HubAdmission"/> can tell a connect whose membership changed while it was being admitted.
/// </summary>
public sealed class HubConnections
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    // Never removed: a count that went back to zero could make an admission miss a change. A few bytes per user whose
    // membership changed while their tenant was relayed here.
    private readonly ConcurrentDictionary<(string TenantId, string UserId), long> _revocations = new();
    private long _aborted;

    /// <summary>Connections closed because their user's membership changed, since the host started.</summary>
    public long Aborted => Interlocked.Read(ref _aborted);

    public int Count => _connections.Count;

    public void Add(string tenantId, string? userId, HubCallerContext context) =>
        _connections[context.ConnectionId] = new Connection(tenantId, userId, context);

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>How many membership changes of the user this host has relayed; it only ever grows.</summary>
    public long RevocationsOf(string tenantId, string userId) => _revocations.GetValueOrDefault((tenantId, userId));

    /// <summary>
    /// Counts a change of the user's membership, then closes their connections of the tenant on this host. A scan, not
    /// an index: membership changes are rare, and keeping a second per-user index in step with
    /// <see cref="Presence.HostPresence"/> would cost every connect.
    /// </summary>
    public int Revoke(string tenantId, string userId)
    {
        // Counted first: a connect registered after the scan below sees the new count instead.
        _revocations.AddOrUpdate((tenantId, userId), 1, (_, n) => n + 1);
        var aborted = 0;
        foreach (var (_, connection) in _connections)
        {
            if (connection.TenantId != tenantId || connection.UserId != userId) continue;
            connection.Context.Abort();
            aborted++;
        }
        Interlocked.Add(ref _aborted, aborted);
        return aborted;
    }

    private sealed record Connection(string TenantId, string? UserId, HubCallerContext Context);
}
