using Flexoraa.Silo.Streaming.Postgres;
using Flexoraa.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Flexoraa.Tests.Streaming;

/// <summary>
/// The stream log on a real PostgreSQL: writers in several processes (here, several data sources) number each queue
/// without gaps and commit in sequence order, so a reader that has seen sequence n never sees a lower one appear later;
/// offsets only move forward; trims and retention remove what they should and nothing else; notifications wake the
/// reader of the queue that was written.
/// </summary>
public sealed class PostgresStreamLogTests : IAsyncLifetime
{
    private const int Queues = 4;

    private string _connectionString = "";
    private NpgsqlDataSource _one = null!;
    private NpgsqlDataSource _two = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        _one = NpgsqlDataSource.Create(_connectionString);
        _two = NpgsqlDataSource.Create(_connectionString);
        await new PostgresStreamLog(_one, "test").EnsureQueuesAsync(Queues, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _one.DisposeAsync();
        await _two.DisposeAsync();
    }

    [Fact]
    public async Task Two_processes_appending_at_once_number_every_queue_without_gaps_and_a_reader_only_ever_sees_a_prefix()
    {
        await using var first = new StreamAppender(new PostgresStreamLog(_one, "test"), 64, NullLogger.Instance);
        await using var second = new StreamAppender(new PostgresStreamLog(_two, "test"), 64, NullLogger.Instance);
        var reader = new PostgresStreamLog(_one, "test");
        var seen = Enumerable.Range(0, Queues).Select(_ => new List<long>()).ToArray();
        using var stop = new CancellationTokenSource();

        var readers = Enumerable.Range(0, Queues).Select(queue => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested || seen[queue].Count < 200)
            {
                var last = seen[queue].Count == 0 ? 0 : seen[queue][^1];
                foreach (var row in await reader.ReadAsync(queue, last, 50, CancellationToken.None)) seen[queue].Add(row.Sequence);
                if (seen[queue].Count >= 200) return;
            }
        })).ToArray();
        var writes = Enumerable.Range(0, 800).Select(i =>
            (i % 2 == 0 ? first : second).AppendAsync(new StreamAppend(i % Queues, BitConverter.GetBytes(i))));
        await Task.WhenAll(writes);
        await stop.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var queue in seen) Assert.Equal(Enumerable.Range(1, 200).Select(n => (long)n), queue);
    }

    [Fact]
    public async Task An_append_that_cannot_commit_fails_every_publish_in_it_and_leaves_no_row_behind()
    {
        var log = new PostgresStreamLog(_one, "test");
        await using var appender = new StreamAppender(log, 64, NullLogger.Instance);

        // A queue without a head row is a misconfiguration the transaction must refuse whole.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => appender.AppendAsync(new StreamAppend(Queues + 7, [1, 2, 3])));

        Assert.Contains("no head row", refused.Message);
        Assert.Empty(await log.ReadAsync(Queues + 7, 0, 10, CancellationToken.None));
        await appender.AppendAsync(new StreamAppend(0, [4]));
        Assert.Single(await log.ReadAsync(0, 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_commit_records_the_position_never_moves_it_back_and_removes_the_rows_at_or_below_it()
    {
        var log = new PostgresStreamLog(_one, "test");
        await using var appender = new StreamAppender(log, 64, NullLogger.Instance);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => appender.AppendAsync(new StreamAppend(1, [(byte)i]))));

        await log.CommitAsync(1, 6, retention: null, CancellationToken.None);
        await log.CommitAsync(1, 3, retention: null, CancellationToken.None);

        Assert.Equal(6, await log.CommittedAsync(1, CancellationToken.None));
        Assert.Equal([7L, 8, 9, 10], (await log.ReadAsync(1, 0, 100, CancellationToken.None)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Retention_removes_rows_older_than_it_even_if_nobody_took_them()
    {
        var log = new PostgresStreamLog(_one, "test");
        await using var appender = new StreamAppender(log, 64, NullLogger.Instance);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => appender.AppendAsync(new StreamAppend(2, [(byte)i]))));
        await using (var age = _one.CreateCommand("UPDATE flexoraa_stream_log SET enqueued_at = now() - interval '2 minutes' WHERE provider = 'test' AND queue_id = 2 AND seq <= 2"))
        {
            await age.ExecuteNonQueryAsync();
        }

        await log.CommitAsync(2, 0, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal([3L, 4], (await log.ReadAsync(2, 0, 100, CancellationToken.None)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task A_dead_letter_keeps_the_events_bytes_and_reason_once()
    {
        var log = new PostgresStreamLog(_one, "test");
        await using var appender = new StreamAppender(log, 64, NullLogger.Instance);
        await appender.AppendAsync(new StreamAppend(3, [9, 8, 7]));

        await log.DeadLetterAsync(3, 1, "channel-inbound/x", "delivery failed", CancellationToken.None);
        await log.DeadLetterAsync(3, 1, "channel-inbound/x", "delivery failed", CancellationToken.None);

        await using var read = _one.CreateCommand("SELECT payload, reason FROM flexoraa_stream_dead_letters WHERE provider = 'test'");
        await using var rows = await read.ExecuteReaderAsync();
        Assert.True(await rows.ReadAsync());
        Assert.Equal(new byte[] { 9, 8, 7 }, rows.GetFieldValue<byte[]>(0));
        Assert.Equal("delivery failed", rows.GetString(1));
        Assert.False(await rows.ReadAsync());
    }

    [Fact]
    public async Task A_commit_notifies_the_reader_of_the_queue_it_wrote_and_no_other()
    {
        await using var listener = new StreamNotificationListener(_connectionString, "test", NullLogger.Instance);
        var written = listener.Register(1);
        var quiet = listener.Register(2);
        await Eventually.Get(() => Task.FromResult(listener.Listening), l => l, TimeSpan.FromSeconds(10), "the listener to connect");
        written.TryTake();
        quiet.TryTake();
        await using var appender = new StreamAppender(new PostgresStreamLog(_two, "test"), 64, NullLogger.Instance);
        await using var otherProvider = new StreamAppender(new PostgresStreamLog(_two, "other"), 64, NullLogger.Instance);
        await new PostgresStreamLog(_two, "other").EnsureQueuesAsync(Queues, CancellationToken.None);

        await otherProvider.AppendAsync(new StreamAppend(2, [1]));
        await appender.AppendAsync(new StreamAppend(1, [1]));

        await Eventually.Get(() => Task.FromResult(written.TryTake()), raised => raised, TimeSpan.FromSeconds(10), "queue 1's wakeup");
        Assert.False(quiet.TryTake());
    }
}
