using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Flexoraa.Silo.Streaming;

/// <summary>
/// The <c>live</c> provider's answer to a consumer it could not deliver to within
/// <c>Orleans:LiveStreamMaxDeliveryTime</c>: take the subscription out of pub-sub.
/// <para>
/// Orleans itself removes a consumer only when a call fails with <c>ClientNotAvailableException</c>. A frontend host
/// that was killed (co-hosted silo gone, or an Orleans client whose gateway has not dropped it yet) fails with other
/// errors, and with Orleans' default no-op handler the pulling agent then retries every later batch to it for the full
/// delivery time, for ever, keeping its cache pinned. Faulting (<see cref="ShouldFaultSubsriptionOnError"/>) stops
/// delivery at once; the removal also deletes the entry, so the pub-sub state does not keep faulted subscriptions of dead
/// hosts. A host that is alive after all notices through its relay's periodic check and subscribes again; its clients
/// see the sequence gap and resync.
/// </para>
/// </summary>
public sealed partial class UnreachableConsumerRemoval(IServiceProvider services, string providerName, ILogger<UnreachableConsumerRemoval> logger) : IStreamFailureHandler
{
    public bool ShouldFaultSubsriptionOnError => true;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        Remove(subscriptionId, streamIdentity);

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        Remove(subscriptionId, streamIdentity);

    private Task Remove(GuidId subscriptionId, StreamId streamId)
    {
        LogDropping(subscriptionId.Guid, streamId);
        // Not awaited: the pulling agent calls this inside its own delivery loop, and pub-sub answers the removal by
        // calling that same agent back. Faulting (which the agent awaits next) and removing end in the same state in
        // either order.
        _ = RemoveAsync(subscriptionId, streamId);
        return Task.CompletedTask;
    }

    private async Task RemoveAsync(GuidId subscriptionId, StreamId streamId)
    {
        try
        {
            await Task.Yield();
            var provider = services.GetRequiredKeyedService<IStreamProvider>(providerName);
            if (provider is not IStreamSubscriptionManagerRetriever retriever || retriever.GetStreamSubscriptionManager() is not { } manager) return;
            await manager.RemoveSubscription(providerName, streamId, subscriptionId.Guid);
        }
        catch (Exception e)
        {
            // The subscription is faulted in any case, so nothing is delivered to it; only its pub-sub entry stays.
            LogRemovalFailed(e, subscriptionId.Guid, streamId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping live subscription {SubscriptionId} of stream {StreamId}: its consumer could not be reached")]
    private partial void LogDropping(Guid subscriptionId, StreamId streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing live subscription {SubscriptionId} of stream {StreamId} from pub-sub failed; it stays faulted")]
    private partial void LogRemovalFailed(Exception exception, Guid subscriptionId, StreamId streamId);
}
