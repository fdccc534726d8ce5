namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>How one stream provider on <see cref="PostgresQueueAdapterFactory"/> writes, wakes, reads and trims its queues.</summary>
public sealed class PostgresStreamOptions
{
    /// <summary>The database; Orleans' own tables live in the same one.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Most events one group commit writes; under load every commit takes whatever has queued up to this.</summary>
    public int MaxAppendBatch { get; set; } = 2_048;

    /// <summary>Most rows one read of a queue returns.</summary>
    public int MaxReadBatch { get; set; } = 512;

    /// <summary>
    /// Readers query only when a notification says their queue has new rows, or when this long has passed without one
    /// (a safety net for a lost listener connection). An idle queue costs one query per this period.
    /// </summary>
    public TimeSpan SafetyPollPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a read of a queue with nothing new waits for a notification before it answers "nothing" (a long poll).
    /// Zero (the default) answers at once, leaving latency to the pulling agent's period.
    /// </summary>
    public TimeSpan IdleWait { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How often a reader records how far its queue has been delivered, and removes the rows below that. A reader that
    /// dies re-delivers at most this much; consumers drop what they have already seen.
    /// </summary>
    public TimeSpan OffsetCommitPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Rows older than this are removed even if undelivered (no consumer took them). Null keeps them until delivered,
    /// which is what a durable provider wants; the live provider's events are worthless after a minute.
    /// </summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>Whether a failed delivery is copied to <c>flexoraa_stream_dead_letters</c> (durable) or only logged.</summary>
    public bool KeepDeadLetters { get; set; } = true;
}
