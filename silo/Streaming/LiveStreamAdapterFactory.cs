using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Flexoraa.Silo.Streaming;

/// <summary>
/// The <c>live</c> provider's queue adapter — Orleans' own ADO.NET adapter — with one change: a consumer that cannot be
/// reached is dropped (<see cref="UnreachableConsumerRemoval"/>) instead of being retried batch after batch for ever.
/// The ADO.NET adapter's own failure handler moves the event to dead letters and never faults the subscription, which
/// suits <c>channel-inbound</c> (grains always come back) but not a frontend host that was killed.
/// </summary>
public sealed class LiveStreamAdapterFactory(IQueueAdapterFactory inner, IStreamFailureHandler failureHandler) : IQueueAdapterFactory
{
    /// <summary>
    /// Wraps the adapter factory that the provider's configurator registered under <paramref name="providerName"/>; the
    /// ADO.NET factory type is internal to Orleans, so this decorates its registration instead of naming it.
    /// </summary>
    public static void Decorate(IServiceCollection services, string providerName)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IQueueAdapterFactory) && d.IsKeyedService && Equals(d.ServiceKey, providerName))
            ?? throw new InvalidOperationException($"No queue adapter factory is registered for stream provider '{providerName}'.");
        var create = original.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"The queue adapter factory of stream provider '{providerName}' is not registered through a factory.");
        services.Remove(original);
        services.AddKeyedSingleton<IQueueAdapterFactory>(providerName, (sp, key) => new LiveStreamAdapterFactory(
            (IQueueAdapterFactory)create(sp, key),
            new UnreachableConsumerRemoval(sp, providerName, sp.GetRequiredService<ILogger<UnreachableConsumerRemoval>>())));
    }

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => inner.CreateAdapter(cancellationToken);

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => inner.CreateAdapter(CancellationToken.None);

    public IQueueAdapterCache GetQueueAdapterCache() => inner.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => inner.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(failureHandler);
}
