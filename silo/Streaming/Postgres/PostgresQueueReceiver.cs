using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Streams;

namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// Reads one queue of the log for the pulling agent that owns it. It queries only when woken by a notification (or by
/// the safety poll), reads rows in sequence order after the last one it read, and records how far the queue is
/// delivered — the lowest sequence still in the agent's cache, minus one — every <c>OffsetCommitPeriod</c>, removing the
/// rows below it in the same round trip. A reader that starts (this silo took the queue over, or restarted) begins at
/// the committed position, so events are delivered at least once; consumers drop repeats.
/// </summary>
public sealed class PostgresQueueReceiver(
    PostgresStreamLog log,
    int queueId,
    PostgresStreamOptions options,
    StreamNotificationListener listener,
    Serializer<PostgresBatchContainer> serializer,
    TimeProvider clock,
    ILogger logger) : IQueueAdapterReceiver
{
    /// <summary>How often a reader looks while notifications are not flowing.</summary>
    private static readonly TimeSpan UnnotifiedPollPeriod = TimeSpan.FromMilliseconds(200);

    private readonly SortedSet<long> _inFlight = [];
    private QueueWakeup? _wakeup;
    private long _lastRead;
    private long _committed;
    private bool _moreToRead;
    private DateTimeOffset _lastQuery;
    private DateTimeOffset _lastCommit;
    private DateTimeOffset _lastTrim;

    public async Task Initialize(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        _committed = _lastRead = await log.CommittedAsync(queueId, cancel.Token);
        _wakeup = listener.Register(queueId);
        _lastCommit = clock.GetUtcNow();
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        await CommitIfDueAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var pollPeriod = listener.Listening ? options.SafetyPollPeriod : UnnotifiedPollPeriod;
        var woken = _wakeup?.TryTake() ?? true;
        if (!woken && !_moreToRead && now - _lastQuery < pollPeriod)
        {
            // A long poll, as Orleans' Event Hubs receiver does: the agent's read waits here for the notification, so an
            // idle queue costs one agent turn per IdleWait instead of one per pull period, and a new row is read the
            // moment its commit is announced rather than at the next tick.
            if (_wakeup is null || options.IdleWait <= TimeSpan.Zero || !listener.Listening) return [];
            if (!await _wakeup.WaitAsync(options.IdleWait, cancellationToken)) return [];
            now = clock.GetUtcNow();
        }

        _lastQuery = now;
        var limit = maxCount is > 0 ? Math.Min(maxCount, options.MaxReadBatch) : options.MaxReadBatch;
        var rows = await log.ReadAsync(queueId, _lastRead, limit, cancellationToken);
        // A full page means the queue may hold more; the agent asks again at once while this returns rows.
        _moreToRead = rows.Count == limit;

        var containers = new List<IBatchContainer>(rows.Count);
        foreach (var row in rows)
        {
            _lastRead = row.Sequence;
            if (Deserialize(row) is { } container)
            {
                _inFlight.Add(row.Sequence);
                containers.Add(container);
            }
        }
        return containers;
    }

    private PostgresBatchContainer? Deserialize(StreamLogRow row)
    {
        try
        {
            return serializer.Deserialize(row.Payload)?.WithSequence(row.Sequence);
        }
        catch (Exception e)
        {
            // A row no type in this build can read would otherwise stop the queue for good. It stays in the log (and the
            // dead letters) for a build that can.
            logger.LogError(e, "Row {Sequence} of stream queue {Provider}/{Queue} cannot be read; it is skipped and dead-lettered", row.Sequence, log.Provider, queueId);
            _ = log.DeadLetterAsync(queueId, row.Sequence, "(unreadable)", $"unreadable: {e.GetType().Name}: {e.Message}", CancellationToken.None);
            return null;
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            if (message is PostgresBatchContainer container) _inFlight.Remove(container.Sequence);
        }
        await CommitIfDueAsync(cancellationToken);
    }

    /// <summary>Everything at or below this has left the agent's cache, delivered to every consumer.</summary>
    private long Deliverable => _inFlight.Count == 0 ? _lastRead : _inFlight.Min - 1;

    private async Task CommitIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - _lastCommit < options.OffsetCommitPeriod) return;
        _lastCommit = now;
        var position = Deliverable;
        // With a retention, rows nobody took still expire, so an idle queue is trimmed too, but only once per retention.
        var expiredMayWait = options.Retention is not { } retention || now - _lastTrim < retention;
        if (position <= _committed && expiredMayWait) return;
        await log.CommitAsync(queueId, position, options.Retention, cancellationToken);
        _committed = position;
        _lastTrim = now;
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        if (Deliverable <= _committed) return;
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await log.CommitAsync(queueId, Deliverable, options.Retention, cancel.Token);
        }
        catch (Exception e)
        {
            // The next reader starts a little earlier and its consumers drop the repeats.
            logger.LogWarning(e, "Recording the position of stream queue {Provider}/{Queue} on shutdown failed", log.Provider, queueId);
        }
    }
}
