using System.Threading.Channels;
using Flexoraa.Channels;
using Flexoraa.ReadModels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>
/// Group commit for the inbox read models. Conversations hand over their writes and wait; one loop per silo takes
/// whatever has queued up (up to <see cref="MaxBatch"/>) and writes it in one transaction and one round trip.
/// At low load a batch is a single write with no added delay; under load many conversations share each commit, which is
/// what lets one silo keep up with thousands of messages a second. A caller's task completes only after the commit, so
/// a stream event is acknowledged only once its row is durable.
/// <para>
/// A hosted service registered before the Orleans silo, so it starts before and stops after it: the silo's own shutdown
/// still delivers stream events whose writes must commit (or fail, and be redelivered), and writes submitted before the
/// loop starts simply wait in the queue.
/// </para>
/// </summary>
public sealed class InboxWriter : IHostedService, IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly NpgsqlDataSource _database;
    private readonly ILogger<InboxWriter> _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(20_000) { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public InboxWriter(TenantDatabase database, ILogger<InboxWriter> logger)
    {
        _database = database.Shared;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = RunAsync();
        return Task.CompletedTask;
    }

    /// <summary>Commits what is queued, then ends; if the host's shutdown time runs out first, the rest fails.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _stopping.CancelAsync();
        }
    }

    public async Task<bool> WriteAsync(PendingWrite write)
    {
        await SubmitAsync(write);
        return await write.Outcome;
    }

    /// <summary>
    /// Queues writes in order without waiting for them, so that all of a caller's writes can share one commit; the caller
    /// then awaits each <see cref="PendingWrite.Outcome"/>. Writes of one caller commit in the order they were submitted.
    /// </summary>
    public ValueTask SubmitAsync(PendingWrite write) => _queue.Writer.WriteAsync(write, _stopping.Token);

    private async Task RunAsync()
    {
        await Task.Yield();
        var batch = new List<PendingWrite>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write)) batch.AddRange(write.WithCarried());
                try
                {
                    await CommitAsync(batch);
                }
                catch (Exception e) when (batch.Count > 1 && e is not OperationCanceledException)
                {
                    // One bad row must not fail its neighbours: retry each alone so only the culprit fails, and a
                    // culprit that can never succeed is dead-lettered rather than failed into an endless redelivery.
                    _logger.LogWarning(e, "A batch of {Count} inbox writes failed; retrying them one by one", batch.Count);
                    foreach (var write in batch) await CommitAloneAsync(write);
                }
                catch (Exception e)
                {
                    await SettleFailureAsync(batch[0], e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task CommitAloneAsync(PendingWrite write)
    {
        try
        {
            await CommitAsync([write]);
        }
        catch (Exception e)
        {
            await SettleFailureAsync(write, e);
        }
    }

    /// <summary>
    /// A data exception (class 22: bad encoding, value too long, out of range) or an integrity violation (class 23; the
    /// conflicts we expect are handled by ON CONFLICT, so any that arrives here is not one) fails the same way on every
    /// retry. Such a write is kept in <c>inbox_dead_letters</c> and completed, so its stream event is acknowledged
    /// instead of being redelivered until it expires. Anything else (connection lost, timeout, shutdown) may pass on a
    /// retry, so it fails the caller and the stream redelivers.
    /// </summary>
    private async Task SettleFailureAsync(PendingWrite write, Exception error)
    {
        if (error is not PostgresException { SqlState: var state } refusal || !IsPermanent(state))
        {
            write.Fail(error);
            return;
        }
        var reason = $"{refusal.SqlState}: {refusal.MessageText}";
        try
        {
            await KeepDeadLetterAsync(write, refusal.SqlState, reason);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without its dead letter the write must not be acknowledged; a redelivery tries both again.
            _logger.LogError(e, "Could not dead-letter a refused {Kind} write of tenant {Tenant}", write.GetType().Name, write.TenantId);
            write.Fail(error);
            return;
        }
        _logger.LogError("Dead-lettered a {Kind} write of tenant {Tenant} that PostgreSQL refused: {Reason}", write.GetType().Name, write.TenantId, reason);
        write.DeadLettered(reason);
    }

    public static bool IsPermanent(string sqlState) => sqlState.StartsWith("22", StringComparison.Ordinal) || sqlState.StartsWith("23", StringComparison.Ordinal);

    private async Task KeepDeadLetterAsync(PendingWrite write, string sqlState, string reason)
    {
        var cancellationToken = _stopping.Token;
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var scope = new NpgsqlCommand("SELECT set_config('app.tenant_id', @tenant, true)", connection, transaction))
        {
            scope.Parameters.AddWithValue("tenant", write.TenantId);
            await scope.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO inbox_dead_letters (tenant_id, write_kind, sql_state, reason, payload) VALUES (@tenant, @kind, @state, @reason, @payload)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("tenant", write.TenantId);
            insert.Parameters.AddWithValue("kind", write.GetType().Name);
            insert.Parameters.AddWithValue("state", sqlState);
            // The reason quotes PostgreSQL, which may quote the bad value itself; it must be storable too.
            insert.Parameters.AddWithValue("reason", ChannelText.Normalize(reason));
            insert.Parameters.Add(new NpgsqlParameter("payload", NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = JsonbText.Escape(write.DeadLetterPayload()) });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task CommitAsync(IReadOnlyList<PendingWrite> writes)
    {
        var cancellationToken = _stopping.Token;
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);

        // Row-level security needs the tenant set before each tenant's statements; grouping keeps the switches few.
        var ordered = writes.OrderBy(w => w.TenantId, StringComparer.Ordinal).ToList();
        var isTenantSwitch = new List<bool>();
        string? current = null;
        foreach (var write in ordered)
        {
            if (write.TenantId != current)
            {
                var scope = new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1, true)");
                scope.Parameters.Add(new NpgsqlParameter { Value = write.TenantId });
                batch.BatchCommands.Add(scope);
                isTenantSwitch.Add(true);
                current = write.TenantId;
            }
            batch.BatchCommands.Add(write.Command());
            isTenantSwitch.Add(false);
        }

        var results = new bool[ordered.Count];
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            var next = 0;
            for (var i = 0; i < isTenantSwitch.Count; i++)
            {
                if (i > 0) await reader.NextResultAsync(cancellationToken);
                if (isTenantSwitch[i]) continue;
                results[next] = await ordered[next].ReadAsync(reader, cancellationToken);
                next++;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        // The pooled connection's reader keeps the batch's command list until its next command: hundreds of commands and
        // thousands of parameters per idle connection in the pool (seen in a heap dump of the ingest bench).
        batch.BatchCommands.Clear();
        for (var i = 0; i < ordered.Count; i++) ordered[i].Succeed(results[i]);
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes it twice: as the singleton and as the hosted service resolved from it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Expected when stopping.
        }
        while (_queue.Reader.TryRead(out var orphan))
        {
            foreach (var write in orphan.WithCarried()) write.Fail(new OperationCanceledException("The silo is stopping."));
        }
        _stopping.Dispose();
    }
}
