using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Flexoraa.Realtime;

/// <summary>
/// The tenant's update sequencer, key = tenant id: numbers each <see cref="TenantUpdate"/>, keeps the latest ones for
/// resync and publishes them to <c>tenant-updates</c> in batches.
/// </summary>
[Alias("Flexoraa.Realtime.ITenantUpdatesGrain")]
public interface ITenantUpdatesGrain : IGrainWithStringKey
{
    /// <summary>Numbers and buffers the update and queues it for the stream; returns its sequence once numbered, not once streamed.</summary>
    [Alias("Publish")]
    Task<long> Publish(TenantUpdate update);

    /// <summary>
    /// Numbers the updates in order, as one turn, without the caller waiting. For the hot path: a conversation tells its
    /// tenant after every stored message, and waiting for the sequencer (one per tenant, busy under load) would add its
    /// queue to every message's latency. The updates are best effort either way: clients recover by resync or reload.
    /// </summary>
    [Alias("PublishAll"), OneWay]
    Task PublishAll(ImmutableArray<TenantUpdate> updates);

    [Alias("Since")]
    Task<TenantUpdatesSince> Since(long lastSequence);
}
