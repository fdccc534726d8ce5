using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// Publishing side of one provider: a publish is serialized into a <see cref="PostgresBatchContainer"/> and group-committed
/// into its queue's log by the process's <see cref="StreamAppender"/>; the task completes after the commit.
/// </summary>
public sealed class PostgresQueueAdapter(
    string name,
    IConsistentRingStreamQueueMapper mapper,
    StreamAppender appender,
    Serializer<PostgresBatchContainer> serializer,
    Func<QueueId, IQueueAdapterReceiver> createReceiver) : IQueueAdapter
{
    public string Name { get; } = name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null) throw new ArgumentException("This provider numbers events itself; a sequence token cannot be given.", nameof(token));
        var queue = (int)mapper.GetQueueForStream(streamId).GetNumericId();
        var payload = serializer.SerializeToArray(new PostgresBatchContainer(streamId, events.Cast<object>().ToList(), requestContext));
        return appender.AppendAsync(new StreamAppend(queue, payload));
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => createReceiver(queueId);
}
