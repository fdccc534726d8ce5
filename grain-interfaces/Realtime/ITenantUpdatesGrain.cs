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

    [Alias("Since")]
    Task<TenantUpdatesSince> Since(long lastSequence);
}
