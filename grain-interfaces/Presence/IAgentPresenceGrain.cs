using System.Collections.Immutable;

namespace Flexoraa.Presence;

/// <summary>
/// The presence of one tenant's agents, key = tenant id. Frontend hosts report what they see, aggregated per host: a
/// user's first connection opening on the host, its last one closing, and one <see cref="Renew"/> per tenant per
/// heartbeat with every user the host holds. Each host's report is a lease: a host that stops renewing (it crashed, or
/// lost the cluster) has its users dropped when the lease runs out, so nobody stays online forever.
/// <para>
/// One grain per tenant rather than per user: a host's heartbeat then costs one call per tenant it serves, not one per
/// agent, and the tenant's dashboard and auto-assignment read one grain. Its calls are rare (connections opening and
/// closing, a heartbeat every few seconds per host), so it is no hot spot even for a large team.
/// </para>
/// </summary>
[Alias("Flexoraa.Presence.IAgentPresenceGrain")]
public interface IAgentPresenceGrain : IGrainWithStringKey
{
    /// <summary>The user's first connection on <paramref name="hostId"/> opened; holds for <paramref name="lease"/> unless renewed.</summary>
    [Alias("Opened")]
    Task Opened(string hostId, string userId, TimeSpan lease);

    /// <summary>The user's last connection on <paramref name="hostId"/> closed.</summary>
    [Alias("Closed")]
    Task Closed(string hostId, string userId);

    /// <summary>
    /// The host's whole picture of this tenant: exactly these users are connected there. Users missing from it are gone
    /// from that host, so a lost <see cref="Opened"/> or <see cref="Closed"/> heals at the next heartbeat.
    /// </summary>
    [Alias("Renew")]
    Task Renew(string hostId, ImmutableArray<HostUserActivity> users, TimeSpan lease);

    /// <summary>The host is shutting down cleanly: its users leave now rather than when the lease ends.</summary>
    [Alias("HostStopped")]
    Task HostStopped(string hostId);

    /// <summary>The agent's own choice to be away (or back). Kept across reconnects until they change it.</summary>
    [Alias("SetAway")]
    Task SetAway(string userId, bool away);

    /// <summary>Every agent who is not offline, or who was seen since this activation, with their presence.</summary>
    [Alias("List")]
    Task<ImmutableArray<AgentPresenceEntry>> List();
}
