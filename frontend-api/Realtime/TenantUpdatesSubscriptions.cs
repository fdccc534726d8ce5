using System.Collections.Concurrent;
using Flexoraa.Realtime;
using Flexoraa.Streaming;
using Orleans.Streams;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// This host's subscriptions to <c>tenant-updates</c> (the <c>live</c> stream provider), one per tenant that has inbox
/// connections here: taken by the tenant's first connection, dropped after its last, so the stream's fan-out is one
/// delivery per (host, tenant) however many browsers are open, and no host needs to know about the others. What a
/// subscription delivers goes to <see cref="TenantUpdatesForwarder"/>.
/// <para>
/// The silos drop a subscription whose host they cannot reach (a host killed without unsubscribing), so a host that was
/// only briefly unreachable may find its subscription gone: every <c>Flexoraa:Realtime:SubscriptionCheckPeriod</c>, and
/// at once when the stream reports the subscription faulted, the host checks its subscriptions against pub-sub and
/// takes a new one where one is missing. Its clients see the gap in the sequence and resync.
/// </para>
/// </summary>
public sealed class TenantUpdatesSubscriptions(IClusterClient cluster, TenantUpdatesForwarder forwarder, IConfiguration configuration, ILogger<TenantUpdatesSubscriptions> logger)
    : IHostedService, IDisposable
{
    private readonly TimeSpan _checkPeriod = configuration.GetValue("Flexoraa:Realtime:SubscriptionCheckPeriod", TimeSpan.FromSeconds(30));
    private readonly CancellationTokenSource _stopping = new();
    private Task _checking = Task.CompletedTask;
    private long _subscribeCalls;
    private long _resubscriptions;

    // A tenant's entry stays once created (a few bytes per tenant ever seen here): removing it would race with a
    // connection that already holds it and leave that connection's subscription unaccounted for.
    private readonly ConcurrentDictionary<string, TenantFeed> _feeds = new(StringComparer.Ordinal);

    /// <summary>How many stream subscriptions this host has taken since it started; connections beyond a tenant's first add none.</summary>
    public long SubscribeCalls => Interlocked.Read(ref _subscribeCalls);

    /// <summary>How many subscriptions this host found dropped by the cluster and took again.</summary>
    public long Resubscriptions => Interlocked.Read(ref _resubscriptions);

    /// <summary>Tenants this host currently relays for.</summary>
    public int ActiveTenants => _feeds.Values.Count(f => f.Subscription is not null);

    /// <summary>
    /// Where the tenant's subscription on this host stands: whether it is held, and a number that moves whenever it is
    /// taken, dropped or replaced. Two equal readings with <see cref="RelayState.Relaying"/> mean every update published
    /// between them was delivered here.
    /// </summary>
    public RelayState StateOf(string tenantId) =>
        _feeds.TryGetValue(tenantId, out var feed) ? feed.State : default;

    /// <summary>Counts a connection of the tenant; the first one takes the subscription.</summary>
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
                feed.Hold(await SubscribeAsync(tenantId));
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

    /// <summary>Uncounts a connection of the tenant; the last one drops the subscription.</summary>
    public async Task DetachAsync(string tenantId)
    {
        if (!_feeds.TryGetValue(tenantId, out var feed)) return;
        await feed.Gate.WaitAsync();
        try
        {
            if (--feed.Connections > 0 || feed.Subscription is not { } subscription) return;
            feed.Hold(null);
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
            // Updates may have been missed while the subscription was gone, so the state moves even though it is held again.
            feed.Hold(null);
            feed.Hold(await SubscribeAsync(tenantId));
            return true;
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private Task<StreamSubscriptionHandle<TenantUpdateBatch>> SubscribeAsync(string tenantId) =>
        Stream(tenantId).SubscribeAsync((batch, _) => forwarder.ForwardAsync(tenantId, batch), e => OnStreamErrorAsync(tenantId, e));

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
                feed.Hold(null);
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
        private readonly Lock _stateLock = new();
        private RelayState _state;

        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Connections { get; set; }
        public StreamSubscriptionHandle<TenantUpdateBatch>? Subscription { get; private set; }

        // Read without the gate (by hub admission, on every connect); a struct of two fields is not read atomically.
        public RelayState State
        {
            get { lock (_stateLock) return _state; }
        }

        /// <summary>Called under <see cref="Gate"/> whenever the subscription changes.</summary>
        public void Hold(StreamSubscriptionHandle<TenantUpdateBatch>? subscription)
        {
            lock (_stateLock)
            {
                Subscription = subscription;
                _state = new RelayState(subscription is not null, _state.Epoch + 1);
            }
        }
    }
}
