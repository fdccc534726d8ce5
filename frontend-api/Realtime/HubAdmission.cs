using System.Collections.Concurrent;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.SignalR;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// Who may hold an inbox hub connection, decided in two steps of one connect:
/// <list type="number">
/// <item><see cref="MemberAsync"/>, while authentication validates the token: the caller's current membership (their
/// role replaces the token's). It comes from this host's memory when this host relays the tenant's updates, and from
/// <see cref="ITenantGrain.GetMember"/> otherwise.</item>
/// <item><see cref="AdmitAsync"/>, when the connection opens: it is registered (so a membership change relayed from now on
/// closes it) and the tenant's subscription is attached; then what step 1 read is checked against what may have happened
/// since. If a change of the user arrived in between, the connection is refused. If the host did not relay the tenant
/// when step 1 read (or its subscription was replaced since), a change published then was never delivered here, so the
/// grain is asked once more.</item>
/// </list>
/// <para>
/// The memory makes a browser's reconnects and extra tabs cost no grain call, which the realtime benchmark's connect
/// storm measures as faster (docs/benchmarks.md; a zero TTL for the run without). An entry is only used while both the
/// tenant's relay state and the user's revocation count are what they were when it was stored, so it is never trusted
/// across a missed event; the TTL (<c>Flexoraa:Realtime:HubMembershipCacheTtl</c>, 60 s, zero turns the memory off) is
/// a net for a lost one. REST requests never use it, so a change is immediate there.
/// </para>
/// </summary>
public sealed class HubAdmission(IGrainFactory grains, TenantUpdatesSubscriptions subscriptions, HubConnections connections, IConfiguration configuration, TimeProvider clock)
{
    private readonly TimeSpan _ttl = configuration.GetValue("Flexoraa:Realtime:HubMembershipCacheTtl", TimeSpan.FromSeconds(60));
    private readonly ConcurrentDictionary<(string TenantId, string UserId), Entry> _members = new();

    /// <summary>Step 1, from authentication of a hub request: the caller's current membership, or null if they have none.</summary>
    public async Task<TenantMember?> MemberAsync(HttpContext http, string tenantId, string userId)
    {
        // Read before the membership: anything that happens after this is caught by step 2.
        var seen = Observe(tenantId, userId);
        var member = Recall(tenantId, userId, seen) ?? await grains.GetGrain<ITenantGrain>(tenantId).GetMember(userId);
        if (member is not null) http.Features.Set(new Ticket(member, seen));
        return member;
    }

    /// <summary>Step 2, from <see cref="InboxHub.OnConnectedAsync"/>: false when the connection must be closed.</summary>
    public async Task<bool> AdmitAsync(HubCallerContext context, Caller caller)
    {
        connections.Add(caller.TenantId, caller.UserId, context);
        await subscriptions.AttachAsync(caller.TenantId);
        // API keys have no ticket: their connections are checked by the key alone.
        if (caller.UserId is not { } userId || context.GetHttpContext()?.Features.Get<Ticket>() is not { } ticket) return true;

        var now = Observe(caller.TenantId, userId);
        if (now.Revocations != ticket.Seen.Revocations) return false;
        var member = ticket.Member;
        if (!ticket.Seen.Relay.Relaying || ticket.Seen.Relay != now.Relay)
        {
            member = await grains.GetGrain<ITenantGrain>(caller.TenantId).GetMember(userId);
            if (member is null || member.Role != caller.Role) return false;
        }
        Remember(caller.TenantId, member, now);
        return true;
    }

    /// <summary>From <see cref="InboxHub.OnDisconnectedAsync"/>.</summary>
    public async Task LeaveAsync(string connectionId, string? tenantId)
    {
        connections.Remove(connectionId);
        if (tenantId is null) return;
        await subscriptions.DetachAsync(tenantId);
        if (subscriptions.StateOf(tenantId).Relaying) return;
        // Unusable now (the relay state moved); dropped to keep memory to the tenants relayed here.
        foreach (var key in _members.Keys)
        {
            if (key.TenantId == tenantId) _members.TryRemove(key, out _);
        }
    }

    /// <summary>How many memberships this host remembers.</summary>
    public int RememberedCount => _members.Count;

    private Seen Observe(string tenantId, string userId) => new(subscriptions.StateOf(tenantId), connections.RevocationsOf(tenantId, userId));

    private TenantMember? Recall(string tenantId, string userId, Seen now)
    {
        if (!now.Relay.Relaying || !_members.TryGetValue((tenantId, userId), out var entry)) return null;
        if (entry.Seen == now && entry.ExpiresAt > clock.GetUtcNow()) return entry.Member;
        _members.TryRemove(KeyValuePair.Create((tenantId, userId), entry));
        return null;
    }

    private void Remember(string tenantId, TenantMember member, Seen seen)
    {
        if (_ttl <= TimeSpan.Zero || !seen.Relay.Relaying) return;
        _members[(tenantId, member.UserId)] = new Entry(member, seen, clock.GetUtcNow() + _ttl);
    }

    /// <summary>What could invalidate a membership read: the tenant's relay state and the user's revocation count.</summary>
    private readonly record struct Seen(RelayState Relay, long Revocations);

    /// <summary>What step 1 read, carried on the connect request to step 2.</summary>
    private sealed record Ticket(TenantMember Member, Seen Seen);

    private sealed record Entry(TenantMember Member, Seen Seen, DateTimeOffset ExpiresAt);
}
