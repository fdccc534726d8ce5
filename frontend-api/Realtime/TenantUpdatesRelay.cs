using System.Collections.Concurrent;
using Flexoraa.FrontendApi.Presence;
using Flexoraa.Realtime;
using Flexoraa.Streaming;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// This host's bridge from <c>tenant-updates</c> (the <c>live</c> stream provider) to SignalR. It holds one
/// explicit stream subscription per tenant that has connections here: taken by the tenant's first connection, dropped
/// after its last, so the stream's fan-out is one delivery per (host, tenant) however many browsers are open, and no
/// host needs to know about the others.
/// <para>
/// The silos drop a subscription whose host they cannot reach (a host killed without unsubscribing), so a host that was
/// only briefly unreachable may find its subscription gone: every <c>Flexoraa:Realtime:SubscriptionCheckPeriod</c>, and
/// at once when the stream reports the subscription faulted, the relay checks its subscriptions against pub-sub and
/// takes a new one where one is missing. Its clients see the gap in the sequence and resync.
/// </para>
/// </summary>
public sealed class TenantUpdatesRelay(IClusterClient cluster, IHubContext<InboxHub> hub, HostPresence presence, HubMembershipCache memberships, HubConnections connections, IConfiguration configuration, ILogger<TenantUpdatesRelay> logger)
    : IHostedService, IDisposable
{
    private readonly TimeSpan _checkPeriod = configuration.GetValue("Flexoraa:Realtime:SubscriptionCheckPeriod", TimeSpan.FromSeconds(30));
    private readonly CancellationTokenSource _stopping = new();
    private Task _checking = Task.CompletedTask;
    private long _resubscriptions;

    // A tenant's entry stays once created (a few bytes per tenant ever seen here): removing it would race with a
    // connection that already holds it and leave that connection's subscription unaccounted for.
    private readonly ConcurrentDictionary<string, TenantFeed> _feeds = new(StringComparer.Ordinal);
    private long _subscribeCalls;

    /// <summary>How many stream subscriptions this host has taken since it started; connections beyond a tenant's first add none.</summary>
    public long SubscribeCalls => Interlocked.Read(ref _subscribeCalls);

    /// <summary>How many subscriptions this host found dropped by the cluster and took again.</summary>
    public long Resubscriptions => Interlocked.Read(ref _resubscriptions);

    /// <summary>Tenants this host currently relays for.</summary>
    public int ActiveTenants => _feeds.Values.Count(f => f.Subscription is not null);

    /// <summary>
    /// True while this host holds the tenant's subscription, so a <see cref="MembershipChanged"/> would reach
    /// <see cref="HubMembershipCache"/> here: only then may a hub connect trust the cache.
    /// </summary>
    public bool IsRelaying(string tenantId) => _feeds.TryGetValue(tenantId, out var feed) && feed.Subscription is not null;

    public async Task AttachAsync(string tenantId)
    {
        var feed = _feeds.GetOrAdd(tenantId, _ => new TenantFeed());
        await feed.Gate.WaitAsync();
        try
        {
            feed.Connections++;
            if (feed.Subscription is null)
            {
                Interlocked.Increment(ref _subscribeCalls);
                feed.Subscription = await SubscribeAsync(tenantId);
            }
        }
        catch
        {
            feed.Connections--;
            throw;
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    public async Task DetachAsync(string tenantId)
    {
        if (!_feeds.TryGetValue(tenantId, out var feed)) return;
        await feed.Gate.WaitAsync();
        try
        {
            if (--feed.Connections > 0 || feed.Subscription is not { } subscription) return;
            feed.Subscription = null;
            memberships.ForgetTenant(tenantId);
            await UnsubscribeAsync(tenantId, subscription);
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    /// <summary>Takes a new subscription for every tenant whose subscription pub-sub no longer has; true if any was missing.</summary>
    public async Task<bool> CheckSubscriptionsAsync()
    {
        var missing = false;
        foreach (var tenantId in _feeds.Keys)
        {
            missing |= await CheckSubscriptionAsync(tenantId);
        }
        return missing;
    }

    private async Task<bool> CheckSubscriptionAsync(string tenantId)
    {
        if (!_feeds.TryGetValue(tenantId, out var feed)) return false;
        await feed.Gate.WaitAsync();
        try
        {
            if (feed.Subscription is not { } subscription) return false;
            var current = await Stream(tenantId).GetAllSubscriptionHandles();
            if (current.Any(h => h.HandleId == subscription.HandleId)) return false;
            logger.LogWarning("The updates subscription of tenant {Tenant} was dropped by the cluster; subscribing again", tenantId);
            Interlocked.Increment(ref _resubscriptions);
            Interlocked.Increment(ref _subscribeCalls);
            // Membership changes may have been missed while the subscription was gone.
            memberships.ForgetTenant(tenantId);
            feed.Subscription = await SubscribeAsync(tenantId);
            return true;
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private Task<StreamSubscriptionHandle<TenantUpdateBatch>> SubscribeAsync(string tenantId) =>
        Stream(tenantId).SubscribeAsync((batch, _) => ForwardAsync(tenantId, batch), e => OnStreamErrorAsync(tenantId, e));

    private Task OnStreamErrorAsync(string tenantId, Exception error)
    {
        // A faulted subscription gets nothing more; check now rather than at the next period. Not awaited: this runs
        // inside the stream's delivery call, and re-subscribing talks to the same pub-sub.
        if (error is FaultedSubscriptionException) _ = CheckInBackgroundAsync(tenantId);
        return Task.CompletedTask;
    }

    private async Task CheckInBackgroundAsync(string tenantId)
    {
        try
        {
            await Task.Yield();
            await CheckSubscriptionAsync(tenantId);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Checking the updates subscription of tenant {Tenant} failed", tenantId);
        }
    }

    private async Task CheckPeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_checkPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await CheckSubscriptionsAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Checking the updates subscriptions failed; trying again in {Period}", _checkPeriod);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private IAsyncStream<TenantUpdateBatch> Stream(string tenantId) =>
        cluster.GetStreamProvider(StreamProviders.Live).GetStream<TenantUpdateBatch>(StreamId.Create(StreamNamespaces.TenantUpdates, tenantId));

    private async Task ForwardAsync(string tenantId, TenantUpdateBatch batch)
    {
        foreach (var sequenced in batch.Updates)
        {
            if (sequenced.Update.TenantId != tenantId) continue;
            if (sequenced.Update is MembershipChanged { PreviousRole: not null } membership) Revoke(membership);
            try
            {
                // Sent one after another so each connection sees the tenant's order.
                var group = InboxClientMethods.GroupFor(sequenced.Update);
                // The typist's own tabs on this host are left out: "you are typing" is noise.
                var clients = sequenced.Update is Typing typing ? hub.Clients.GroupExcept(group, presence.ConnectionsOf(tenantId, typing.UserId)) : hub.Clients.Group(group);
                await clients.SendAsync(InboxClientMethods.For(sequenced.Update), InboxEventPayload.From(sequenced));
            }
            catch (Exception e)
            {
                // Never fail the stream delivery over one send: the stream would redeliver to every host's clients.
                logger.LogWarning(e, "Forwarding update {Sequence} of tenant {Tenant} failed", sequenced.Sequence, tenantId);
            }
        }
    }

    /// <summary>
    /// Forgets the cached membership and closes the user's connections here: each was authenticated with the old role
    /// (or as a member at all). Any role change closes them, the simplest safe rule; they reconnect and are checked
    /// afresh. A join revokes nothing: no connection can predate it, and closing one would only make it reconnect.
    /// </summary>
    private void Revoke(MembershipChanged change)
    {
        memberships.Invalidate(change.TenantId, change.UserId);
        var closed = connections.Abort(change.TenantId, change.UserId);
        if (closed > 0) logger.LogInformation("Closed {Count} inbox connections of {User} in tenant {Tenant}: their membership changed", closed, change.UserId, change.TenantId);
    }

    private async Task UnsubscribeAsync(string tenantId, StreamSubscriptionHandle<TenantUpdateBatch> subscription)
    {
        try
        {
            await subscription.UnsubscribeAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Unsubscribing from the updates of tenant {Tenant} failed", tenantId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _checking = CheckPeriodicallyAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Drops every subscription while the cluster is still reachable (this service stops before Orleans does), so the
    /// pub-sub store does not keep pointing the stream at a host that is gone.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _checking;
        foreach (var (tenantId, feed) in _feeds)
        {
            await feed.Gate.WaitAsync(cancellationToken);
            try
            {
                if (feed.Subscription is { } subscription) await UnsubscribeAsync(tenantId, subscription);
                feed.Subscription = null;
            }
            finally
            {
                feed.Gate.Release();
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    private sealed class TenantFeed
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Connections { get; set; }
        public StreamSubscriptionHandle<TenantUpdateBatch>? Subscription { get; set; }
    }
}
