using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// One <c>LISTEN</c> connection for a provider's readers in this process. Writers notify in the same transaction as
/// their rows, and PostgreSQL delivers the notification only after the commit, so a raised <see cref="QueueWakeup"/>
/// means committed rows are there to read. An idle system therefore makes no queries beyond each reader's slow safety
/// poll. While the connection is down, every queue is raised on reconnect so nothing written meanwhile waits for the poll.
/// </summary>
public sealed class StreamNotificationListener : IAsyncDisposable
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(2);

    private readonly string _connectionString;
    private readonly string _provider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<int, QueueWakeup> _wakeups = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startGate = new();
    private Task? _loop;

    public StreamNotificationListener(string connectionString, string provider, ILogger logger)
    {
        // Keepalives make a silently dropped connection fail within seconds instead of waiting for ever.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 15, Pooling = false }.ConnectionString;
        _provider = provider;
        _logger = logger;
    }

    /// <summary>Whether notifications are flowing; while not, readers poll often instead of trusting their wakeups.</summary>
    public bool Listening { get; private set; }

    public QueueWakeup Register(int queueId)
    {
        var wakeup = _wakeups.GetOrAdd(queueId, _ => new QueueWakeup());
        wakeup.Raise();
        if (_loop is null)
        {
            lock (_startGate) _loop ??= Task.Run(RunAsync);
        }
        return wakeup;
    }

    private async Task RunAsync()
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(_stopping.Token);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresStreamLog.NotificationChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(_stopping.Token);
                }
                Listening = true;
                RaiseAll();
                delay = TimeSpan.FromMilliseconds(250);
                while (!_stopping.IsCancellationRequested) await connection.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                Listening = false;
                return;
            }
            catch (Exception e)
            {
                Listening = false;
                _logger.LogWarning(e, "Stream notifications for {Provider} are interrupted; readers poll until they are back", _provider);
                RaiseAll();
                try
                {
                    await Task.Delay(delay, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    private void OnNotification(string payload)
    {
        // "{provider}/{queue},{queue}…"; other providers share the channel.
        var slash = payload.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !payload.AsSpan(0, slash).SequenceEqual(_provider)) return;
        foreach (var range in payload.AsSpan(slash + 1).Split(','))
        {
            if (int.TryParse(payload.AsSpan(slash + 1)[range], out var queue) && _wakeups.TryGetValue(queue, out var wakeup)) wakeup.Raise();
        }
    }

    private void RaiseAll()
    {
        foreach (var wakeup in _wakeups.Values) wakeup.Raise();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null) await _loop;
        _stopping.Dispose();
    }
}
