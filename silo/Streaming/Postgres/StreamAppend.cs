namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>A serialized batch container waiting for the next group commit into <paramref name="QueueId"/>.</summary>
public sealed class StreamAppend(int queueId, byte[] payload)
{
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int QueueId { get; } = queueId;

    public byte[] Payload { get; } = payload;

    /// <summary>Completes once the row is committed; faults when its commit failed.</summary>
    public Task Committed => _committed.Task;

    internal void Succeed() => _committed.TrySetResult();

    internal void Fail(Exception error) => _committed.TrySetException(error);
}
