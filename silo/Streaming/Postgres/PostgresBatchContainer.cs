using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// One publish as stored in <c>flexoraa_stream_log</c>: the stream, its events and the publisher's request context.
/// The sequence number is the row's, given at commit: it is empty in the stored bytes and set when the row is read, and
/// it travels with the container to consumers on other silos.
/// </summary>
[GenerateSerializer, Alias("Flexoraa.Silo.Streaming.Postgres.PostgresBatchContainer")]
public sealed class PostgresBatchContainer(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;

    [Id(1)] public List<object> Events { get; } = events;

    [Id(2)] public Dictionary<string, object>? RequestContext { get; } = requestContext;

    [Id(3)] public EventSequenceTokenV2? Token { get; private set; }

    public StreamSequenceToken SequenceToken => Token ?? throw new InvalidOperationException("The container has not been read from its queue yet.");

    public long Sequence => Token?.SequenceNumber ?? 0;

    internal PostgresBatchContainer WithSequence(long sequence)
    {
        Token = new EventSequenceTokenV2(sequence);
        return this;
    }

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create<T, StreamSequenceToken>(e, ((EventSequenceTokenV2)SequenceToken).CreateSequenceTokenForEvent(i)));

    public bool ImportRequestContext()
    {
        if (RequestContext is null) return false;
        RequestContextExtensions.Import(RequestContext);
        return true;
    }

    public override string ToString() => $"[{nameof(PostgresBatchContainer)} {StreamId} #{Sequence} ({Events.Count} events)]";
}
