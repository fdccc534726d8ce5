using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// Group commit for one provider's producers in this process. Every publish (a webhook's events, a grain's update)
/// hands its serialized batch over and waits; one loop takes whatever has queued up and appends it in one transaction.
/// At low load a commit holds one event and adds no delay; under load hundreds share one commit and one WAL flush, which
/// is what lets a small machine acknowledge thousands of events a second. A publish completes only after its commit, so
/// a webhook that answers 200 has its events durable.
/// </summary>
public sealed class StreamAppender : IAsyncDisposable
{
    private readonly PostgresStreamLog _log;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Channel<StreamAppend> _queue = Channel.CreateBounded<StreamAppend>(new BoundedChannelOptions(100_000) { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private readonly Lock _startGate = new();

    public StreamAppender(PostgresStreamLog log, int maxBatch, ILogger logger)
    {
        _log = log;
        _maxBatch = maxBatch;
        _logger = logger;
    }

    public async Task AppendAsync(StreamAppend append)
    {
        EnsureStarted();
        await _queue.Writer.WriteAsync(append, _stopping.Token);
        await append.Committed;
    }

    // Started on first use rather than in a constructor: a client that never publishes on this provider runs no loop.
    private void EnsureStarted()
    {
        if (_loop is not null) return;
        lock (_startGate) _loop ??= Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var batch = new List<StreamAppend>(_maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var append)) batch.Add(append);
                try
                {
                    await _log.AppendAsync(batch, _stopping.Token);
                    foreach (var append in batch) append.Succeed();
                }
                catch (Exception e)
                {
                    // Bytes cannot be bad input, so a failed commit is the database's: every publish in it fails and its
                    // caller decides (a webhook answers 503 and Meta retries). Nothing was half-written: one transaction.
                    foreach (var append in batch) append.Fail(e);
                    if (_stopping.IsCancellationRequested) return;
                    _logger.LogWarning(e, "Appending {Count} events to stream provider {Provider} failed", batch.Count, _log.Provider);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Expected when stopping.
            }
        }
        while (_queue.Reader.TryRead(out var orphan)) orphan.Fail(new OperationCanceledException("The host is stopping."));
        _stopping.Dispose();
    }
}
