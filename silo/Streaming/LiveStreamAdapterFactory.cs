using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Providers;
using Orleans.Streams;

namespace Flexoraa.Silo.Streaming;

/// <summary>
/// Orleans' in-memory queue adapter for the <c>live</c> provider, with one change: a consumer that cannot be reached is
/// dropped (<see cref="UnreachableConsumerRemoval"/>) instead of being retried batch after batch for ever. The memory
/// adapter hard-wires a no-op failure handler, so this wraps it rather than configuring it.
/// </summary>
public sealed class LiveStreamAdapterFactory(IQueueAdapterFactory memory, IStreamFailureHandler failureHandler) : IQueueAdapterFactory
{
    public static LiveStreamAdapterFactory Create(IServiceProvider services, string name) =>
        new(MemoryAdapterFactory<DefaultMemoryMessageBodySerializer>.Create(services, name),
            new UnreachableConsumerRemoval(services, name, services.GetRequiredService<ILogger<UnreachableConsumerRemoval>>()));

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => memory.CreateAdapter(cancellationToken);

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => memory.CreateAdapter(CancellationToken.None);

    public IQueueAdapterCache GetQueueAdapterCache() => memory.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => memory.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(failureHandler);
}
