using System.Collections.Concurrent;
using System.Collections.Immutable;
using Flexoraa.Presence;
using Microsoft.Extensions.Options;

namespace Flexoraa.FrontendApi.Presence;

/// <summary>
/// This host's view of its agents' connections, and its reports to each tenant's <see cref="IAgentPresenceGrain"/>.
/// <para>
/// Connecting costs a grain call only for a user's first connection on this host (and closing, only for the last):
/// a second tab, or a reconnect while another tab stays open, is counted here and nowhere else. Every
/// <see cref="PresenceOptions.HeartbeatInterval"/> the host renews its lease with one call per tenant it serves, listing
/// that tenant's users here and whether each is idle, so the cost is per (host, tenant), never per connection, and a
/// host that dies simply stops renewing.
/// </para>
/// </summary>
public sealed class HostPresence(IClusterClient cluster, IOptions<PresenceOptions> options, TimeProvider clock, ILogger<HostPresence> logger) : BackgroundService
{
    // A tenant's entry stays once created (a few bytes per tenant ever seen here): removing it would race with a
    // connection that already holds it.
    private readonly ConcurrentDictionary<string, TenantConnections> _tenants = new(StringComparer.Ordinal);
    private long _grainCalls;
    private long _connectionReports;

    /// <summary>Unique per process, so a restarted host never renews the lease of the one that crashed.</summary>
    public string HostId { get; } = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    /// <summary>Presence grain calls this host has made, heartbeats included.</summary>
    public long GrainCalls => Interlocked.Read(ref _grainCalls);

    /// <summary>Calls made for connections opening or closing: one per user's first and last connection here, none for the others.</summary>
    public long ConnectionReports => Interlocked.Read(ref _connectionReports);

    private PresenceOptions Options => options.Value;

    public async Task ConnectedAsync(string tenantId, string userId, string connectionId)
    {
        var tenant = _tenants.GetOrAdd(tenantId, _ => new TenantConnections());
        await tenant.Gate.WaitAsync();
        try
        {
            var user = tenant.Users.GetOrAdd(userId, _ => new UserConnections());
            user.Connections[connectionId] = clock.GetUtcNow();
            if (user.Connections.Count == 1)
            {
                user.ReportedIdle = false;
                Interlocked.Increment(ref _connectionReports);
                await CallAsync(tenantId, g => g.Opened(HostId, userId, Options.LeaseDuration));
            }
        }
        finally
        {
            tenant.Gate.Release();
        }
    }

    public async Task DisconnectedAsync(string tenantId, string userId, string connectionId)
    {
        if (!_tenants.TryGetValue(tenantId, out var tenant)) return;
        await tenant.Gate.WaitAsync();
        try
        {
            if (!tenant.Users.TryGetValue(userId, out var user) || !user.Connections.TryRemove(connectionId, out _) || !user.Connections.IsEmpty) return;
            tenant.Users.TryRemove(userId, out _);
            Interlocked.Increment(ref _connectionReports);
            await CallAsync(tenantId, g => g.Closed(HostId, userId));
        }
        finally
        {
            tenant.Gate.Release();
        }
    }

    /// <summary>The connection showed activity. Free unless the user was reported idle: then the tenant is renewed at once, so "back" shows without waiting for the heartbeat.</summary>
    public async Task TouchAsync(string tenantId, string userId, string connectionId)
    {
        if (!_tenants.TryGetValue(tenantId, out var tenant) || !tenant.Users.TryGetValue(userId, out var user)) return;
        // TryUpdate, not an indexer: a connection closing at this moment must not be brought back.
        if (!user.Connections.TryGetValue(connectionId, out var last) || !user.Connections.TryUpdate(connectionId, clock.GetUtcNow(), last)) return;
        if (user.ReportedIdle) await RenewAsync(tenantId, tenant);
    }

    /// <summary>The user's connections on this host: a typing indicator is not sent back to the typist's own tabs.</summary>
    public IReadOnlyList<string> ConnectionsOf(string tenantId, string userId) =>
        _tenants.TryGetValue(tenantId, out var tenant) && tenant.Users.TryGetValue(userId, out var user) ? [.. user.Connections.Keys] : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Options.HeartbeatInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await Parallel.ForEachAsync(_tenants.Where(t => !t.Value.Users.IsEmpty), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stoppingToken },
                    async (tenant, _) => await RenewAsync(tenant.Key, tenant.Value));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A clean shutdown takes this host's agents offline now (this service stops before the Orleans client does).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var (tenantId, tenant) in _tenants)
        {
            if (tenant.Users.IsEmpty) continue;
            await CallAsync(tenantId, g => g.HostStopped(HostId));
        }
    }

    private async Task RenewAsync(string tenantId, TenantConnections tenant)
    {
        await tenant.Gate.WaitAsync();
        try
        {
            var idleBefore = clock.GetUtcNow() - Options.IdleAfter;
            var users = ImmutableArray.CreateBuilder<HostUserActivity>(tenant.Users.Count);
            foreach (var (userId, user) in tenant.Users)
            {
                if (user.Connections.IsEmpty) continue;
                user.ReportedIdle = user.Connections.Values.All(at => at < idleBefore);
                users.Add(new HostUserActivity(userId, user.ReportedIdle));
            }
            await CallAsync(tenantId, g => g.Renew(HostId, users.ToImmutable(), Options.LeaseDuration));
        }
        finally
        {
            tenant.Gate.Release();
        }
    }

    /// <summary>A failed report is logged, not thrown: connecting must not fail over presence, and the next heartbeat repairs it.</summary>
    private async Task CallAsync(string tenantId, Func<IAgentPresenceGrain, Task> call)
    {
        Interlocked.Increment(ref _grainCalls);
        try
        {
            await call(cluster.GetGrain<IAgentPresenceGrain>(tenantId));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Reporting presence of tenant {Tenant} from host {Host} failed", tenantId, HostId);
        }
    }

    private sealed class TenantConnections
    {
        /// <summary>Serializes this tenant's reports from this host, so the grain sees them in the order they happened.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ConcurrentDictionary<string, UserConnections> Users { get; } = new(StringComparer.Ordinal);
    }

    private sealed class UserConnections
    {
        /// <summary>Connection id → last activity.</summary>
        public ConcurrentDictionary<string, DateTimeOffset> Connections { get; } = new(StringComparer.Ordinal);
        public bool ReportedIdle { get; set; }
    }
}
