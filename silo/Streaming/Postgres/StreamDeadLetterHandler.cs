using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// What a durable provider does with an event a consumer would not take within the pulling agent's delivery time: keep a
/// copy in <c>flexoraa_stream_dead_letters</c> with the subscription and stream, and let the queue move on. The
/// subscription stays (a grain that failed on one event takes the next one).
/// </summary>
public sealed class StreamDeadLetterHandler(PostgresStreamLog log, IConsistentRingStreamQueueMapper mapper, ILogger logger) : IStreamFailureHandler
{
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        KeepAsync("delivery failed", subscriptionId, streamIdentity, sequenceToken);

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        KeepAsync("subscription failed", subscriptionId, streamIdentity, sequenceToken);

    private async Task KeepAsync(string what, GuidId subscriptionId, StreamId streamId, StreamSequenceToken? token)
    {
        var queue = (int)mapper.GetQueueForStream(streamId).GetNumericId();
        var sequence = token?.SequenceNumber ?? 0;
        logger.LogError("Stream {Provider} event #{Sequence} of {StreamId}: {What} for subscription {SubscriptionId}; kept in the dead letters",
            log.Provider, sequence, streamId, what, subscriptionId.Guid);
        try
        {
            await log.DeadLetterAsync(queue, sequence, streamId.ToString(), $"{what} for subscription {subscriptionId.Guid}", CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Keeping stream {Provider} event #{Sequence} of {StreamId} in the dead letters failed", log.Provider, sequence, streamId);
        }
    }
}
