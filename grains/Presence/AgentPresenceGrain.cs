using System.Collections.Immutable;
using Flexoraa.Assignment;
using Flexoraa.Realtime;
using Flexoraa.Streaming;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Presence;

/// <summary>
/// Combines the hosts' reports into one presence per agent: offline when no live host holds a connection of theirs;
/// away when they chose it or every host reports them idle; online otherwise. Each change is published as
/// <see cref="PresenceChanged"/> and, when it changes whether the agent can take conversations, told to auto-assignment.
/// <para>
/// A host's report lives until its lease ends. One timer, armed for the earliest end, drops lapsed hosts; there is no
/// periodic tick per tenant, so thousands of idle tenants cost nothing.
/// </para>
/// </summary>
public sealed class AgentPresenceGrain(
    [PersistentState("agentpresence", StorageProviders.Default)] IPersistentState<AgentPresenceState> state,
    TimeProvider clock,
    ILogger<AgentPresenceGrain> logger) : Grain, IAgentPresenceGrain
{
    /// <summary>Timers may fire a little early; a lease this close to its end is treated as ended.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(20);

    private readonly Dictionary<string, HostLease> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentPresenceEntry> _current = new(StringComparer.Ordinal);
    private IGrainTimer? _expiry;

    private string TenantId => this.GetPrimaryKeyString();

    public async Task Opened(string hostId, string userId, TimeSpan lease)
    {
        var host = Lease(hostId, lease);
        host.Users[userId] = false;
        await ChangedAsync([userId]);
    }

    public async Task Closed(string hostId, string userId)
    {
        if (_hosts.TryGetValue(hostId, out var host) && host.Users.Remove(userId))
        {
            if (host.Users.Count == 0) _hosts.Remove(hostId);
            await ChangedAsync([userId]);
        }
    }

    public async Task Renew(string hostId, ImmutableArray<HostUserActivity> users, TimeSpan lease)
    {
        var host = Lease(hostId, lease);
        var affected = new HashSet<string>(host.Users.Keys, StringComparer.Ordinal);
        host.Users.Clear();
        foreach (var user in users.IsDefault ? [] : users)
        {
            host.Users[user.UserId] = user.Idle;
            affected.Add(user.UserId);
        }
        if (host.Users.Count == 0) _hosts.Remove(hostId);
        await ChangedAsync(affected);
    }

    public async Task HostStopped(string hostId)
    {
        if (_hosts.Remove(hostId, out var host)) await ChangedAsync(host.Users.Keys);
    }

    public async Task SetAway(string userId, bool away)
    {
        if (away ? state.State.Away.Add(userId) : state.State.Away.Remove(userId)) await state.WriteStateAsync();
        await ChangedAsync([userId]);
    }

    public async Task<ImmutableArray<AgentPresenceEntry>> List()
    {
        await ExpireLapsedAsync();
        return [.. _current.Values.OrderBy(e => e.UserId, StringComparer.Ordinal)];
    }

    private HostLease Lease(string hostId, TimeSpan lease)
    {
        if (!_hosts.TryGetValue(hostId, out var host)) _hosts[hostId] = host = new HostLease();
        host.ExpiresAt = clock.GetUtcNow() + lease;
        return host;
    }

    /// <summary>Drops lapsed hosts first, so a report never revives users of a host that is already gone.</summary>
    private async Task ChangedAsync(IEnumerable<string> users)
    {
        var affected = new HashSet<string>(users, StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        foreach (var (hostId, host) in _hosts.Where(h => h.Value.ExpiresAt <= now + Slack).ToList())
        {
            logger.LogInformation("Host {Host} stopped renewing its presence lease for tenant {Tenant}; its {Count} users leave", hostId, TenantId, host.Users.Count);
            _hosts.Remove(hostId);
            affected.UnionWith(host.Users.Keys);
        }

        var changes = new List<AgentPresenceEntry>();
        foreach (var userId in affected)
        {
            var presence = PresenceOf(userId);
            var before = _current.TryGetValue(userId, out var entry) ? entry.Presence : AgentPresence.Offline;
            if (entry is not null && presence == before) continue;
            if (entry is null && presence == AgentPresence.Offline) continue;
            _current[userId] = new AgentPresenceEntry(userId, presence, now);
            if (presence != before) changes.Add(_current[userId]);
        }
        ArmExpiry();
        if (changes.Count > 0) await PublishAsync(changes);
    }

    private Task ExpireLapsedAsync() => ChangedAsync([]);

    private AgentPresence PresenceOf(string userId)
    {
        var connected = false;
        var active = false;
        foreach (var host in _hosts.Values)
        {
            if (!host.Users.TryGetValue(userId, out var idle)) continue;
            connected = true;
            active |= !idle;
        }
        if (!connected) return AgentPresence.Offline;
        return state.State.Away.Contains(userId) || !active ? AgentPresence.Away : AgentPresence.Online;
    }

    private async Task PublishAsync(List<AgentPresenceEntry> changes)
    {
        var assignment = GrainFactory.GetGrain<IAutoAssignmentGrain>(TenantId);
        var updates = GrainFactory.GetGrain<ITenantUpdatesGrain>(TenantId);
        foreach (var change in changes)
        {
            try
            {
                // One-way: auto-assignment may be busy assigning, and presence must not wait for it.
                await assignment.AvailabilityChanged(change.UserId, change.Presence == AgentPresence.Online);
                await updates.Publish(new PresenceChanged(TenantId, change.Since ?? clock.GetUtcNow(), change.UserId, change.Presence));
            }
            catch (Exception e)
            {
                // The presence itself is right; dashboards catch up on their next read, assignment on its next activation.
                logger.LogWarning(e, "Could not announce that {User} of tenant {Tenant} is {Presence}", change.UserId, TenantId, change.Presence);
            }
        }
    }

    private void ArmExpiry()
    {
        _expiry?.Dispose();
        _expiry = null;
        if (_hosts.Count == 0) return;
        var due = _hosts.Values.Min(h => h.ExpiresAt) - clock.GetUtcNow();
        _expiry = this.RegisterGrainTimer(_ => ExpireLapsedAsync(), new GrainTimerCreationOptions
        {
            DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
        });
    }

    private sealed class HostLease
    {
        public DateTimeOffset ExpiresAt { get; set; }

        /// <summary>User id → idle on that host.</summary>
        public Dictionary<string, bool> Users { get; } = new(StringComparer.Ordinal);
    }
}
