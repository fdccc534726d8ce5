using System.Collections.Concurrent;
using Flexoraa.FrontendApi.Presence;
using Flexoraa.Realtime;
using Flexoraa.Streaming;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;

namespace Flexoraa.FrontendApi.Realtime;

/// <summary>
/// This host's bridge from <c>tenant-updates</c> to SignalR. It holds one explicit stream subscription per tenant that has
/// connections here: taken by the tenant's first connection, dropped after its last, so the stream's fan-out is one
/// delivery per (host, tenant) however many browsers are open, and no host needs to know about the others.
/// </summary>
public sealed class TenantUpdatesRelay(IClusterClient cluster, IHubContext<InboxHub> hub, HostPresence presence, ILogger<TenantUpdatesRelay> logger) : IHostedService
{
    // A tenant's entry stays once created (a few bytes per tenant ever seen here): removing it would race with a
    // connection that already holds it and leave that connection's subscription unaccounted for.
    private readonly ConcurrentDictionary<string, TenantFeed> _feeds = new(StringComparer.Ordinal);
    private long _subscribeCalls;

    /// <summary>How many stream subscriptions this host has taken since it started; connections beyond a tenant's first add none.</summary>
    public long SubscribeCalls => Interlocked.Read(ref _subscribeCalls);

    /// <summary>Tenants this host currently relays for.</summary>
    public int ActiveTenants => _feeds.Values.Count(f => f.Subscription is not null);

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
                feed.Subscription = await Stream(tenantId).SubscribeAsync((batch, _) => ForwardAsync(tenantId, batch));
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
            await UnsubscribeAsync(tenantId, subscription);
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private IAsyncStream<TenantUpdateBatch> Stream(string tenantId) =>
        cluster.GetStreamProvider(StreamProviders.Durable).GetStream<TenantUpdateBatch>(StreamId.Create(StreamNamespaces.TenantUpdates, tenantId));

    private async Task ForwardAsync(string tenantId, TenantUpdateBatch batch)
    {
        foreach (var sequenced in batch.Updates)
        {
            if (sequenced.Update.TenantId != tenantId) continue;
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

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Drops every subscription while the cluster is still reachable (this service stops before Orleans does), so the
    /// pub-sub store does not keep pointing the stream at a host that is gone.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
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

    private sealed class TenantFeed
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Connections { get; set; }
        public StreamSubscriptionHandle<TenantUpdateBatch>? Subscription { get; set; }
    }
}
