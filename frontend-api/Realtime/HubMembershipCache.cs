using System.Collections.Concurrent;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// This host's memory of (tenant, user) → membership, for hub connects only, so a browser's reconnects and extra tabs
/// cost no <see cref="ITenantGrain.GetMember"/> call. It is only safe while this host relays the tenant's updates
/// (then <see cref="Flexoraa.Realtime.MembershipChanged"/> reaches <see cref="Invalidate"/>): callers ask
/// <see cref="TenantUpdatesRelay.IsRelaying"/>, and the relay calls <see cref="ForgetTenant"/> whenever its subscription
/// ends or was lost. The TTL (<c>Flexoraa:Realtime:HubMembershipCacheTtl</c>, 60 s) is a net for a lost event.
/// <para>
/// Versions — (tenant generation, user's changes) — guard the races: a look-up that started before a change must not
/// store what it read, and a connection authenticated before a change must not stay open. A tenant's generation moves
/// when the host forgets the tenant; a user's count when their role changes or they leave. A join moves neither: nobody
/// could have been let in on a membership that did not exist yet.
/// </para>
/// </summary>
public sealed class HubMembershipCache(IConfiguration configuration, TimeProvider clock)
{
    private readonly TimeSpan _ttl = configuration.GetValue("Flexoraa:Realtime:HubMembershipCacheTtl", TimeSpan.FromSeconds(60));
    private readonly ConcurrentDictionary<(string TenantId, string UserId), Entry> _members = new();
    // A few bytes per tenant ever forgotten here, and per user whose membership changed while their tenant was relayed;
    // a tenant's user counts go when the tenant is forgotten.
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string TenantId, string UserId), long> _changes = new();

    public (long Tenant, long User) Version(string tenantId, string userId) =>
        (_generations.GetValueOrDefault(tenantId), _changes.GetValueOrDefault((tenantId, userId)));

    public TenantMember? Get(string tenantId, string userId)
    {
        if (!_members.TryGetValue((tenantId, userId), out var entry)) return null;
        if (entry.ExpiresAt > clock.GetUtcNow()) return entry.Member;
        _members.TryRemove(KeyValuePair.Create((tenantId, userId), entry));
        return null;
    }

    /// <summary>Stores <paramref name="member"/> unless their membership changed since <paramref name="readAt"/>.</summary>
    public void Set(string tenantId, TenantMember member, (long Tenant, long User) readAt)
    {
        if (_ttl <= TimeSpan.Zero) return;
        var key = (tenantId, member.UserId);
        _members[key] = new Entry(member, clock.GetUtcNow() + _ttl);
        // Checked after writing: an invalidation that ran in between is either seen here or removed the entry itself.
        if (Version(tenantId, member.UserId) != readAt) _members.TryRemove(key, out _);
    }

    /// <summary>The user's role changed or they left the tenant.</summary>
    public void Invalidate(string tenantId, string userId)
    {
        _changes.AddOrUpdate((tenantId, userId), 1, (_, v) => v + 1);
        _members.TryRemove((tenantId, userId), out _);
    }

    /// <summary>The host stopped (or briefly lost) the tenant's updates, so it can no longer trust what it remembers.</summary>
    public void ForgetTenant(string tenantId)
    {
        // The generation first: a version read before this differs from any read after, whatever the user counts do.
        _generations.AddOrUpdate(tenantId, 1, (_, v) => v + 1);
        foreach (var key in _members.Keys)
        {
            if (key.TenantId == tenantId) _members.TryRemove(key, out _);
        }
        foreach (var key in _changes.Keys)
        {
            if (key.TenantId == tenantId) _changes.TryRemove(key, out _);
        }
    }

    public int Count => _members.Count;

    /// <summary>Keeps what the connect request's authentication read, for <see cref="InboxHub"/> once the connection is up.</summary>
    public static void NoteRead(HttpContext http, TenantMember member, (long Tenant, long User) version, bool relaying) =>
        http.Items[typeof(Read)] = new Read(member, version, relaying);

    /// <summary>
    /// True when the connect request's authentication read the membership before this host relayed the tenant: a change
    /// published in between was never delivered here, so the caller must ask the grain once more now that it does.
    /// </summary>
    public static bool ReadBeforeRelaying(HttpContext? http) =>
        http is not null && http.Items.TryGetValue(typeof(Read), out var value) && value is Read { WhileRelaying: false };

    /// <summary>
    /// Called once the connection is registered and the relay attached. False when a change of the user's membership
    /// arrived after authentication read it: the caller then closes the connection, which may have been let in on a
    /// stale membership. Otherwise the membership is remembered, so the user's next connects cost no grain call.
    /// </summary>
    public bool ConfirmConnected(HttpContext? http, string tenantId, bool relaying)
    {
        if (http is null || !http.Items.TryGetValue(typeof(Read), out var value) || value is not Read read) return true;
        if (Version(tenantId, read.Member.UserId) != read.Version) return false;
        if (relaying && Get(tenantId, read.Member.UserId) is null) Set(tenantId, read.Member, read.Version);
        return true;
    }

    private sealed record Read(TenantMember Member, (long Tenant, long User) Version, bool WhileRelaying);

    private sealed record Entry(TenantMember Member, DateTimeOffset ExpiresAt);
}
