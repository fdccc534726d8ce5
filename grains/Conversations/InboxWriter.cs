using System.Threading.Channels;
using Flexoraa.ReadModels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>
/// Group commit for the inbox read models. Conversations hand over their writes and wait; one loop per silo takes
/// whatever has queued up (up to <see cref="MaxBatch"/>) and writes it in one transaction and one round trip.
/// At low load a batch is a single write with no added delay; under load many conversations share each commit, which is
/// what lets one silo keep up with thousands of messages a second. A caller's task completes only after the commit, so
/// a stream event is acknowledged only once its row is durable.
/// </summary>
public sealed class InboxWriter : IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly NpgsqlDataSource _database;
    private readonly ILogger<InboxWriter> _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(20_000) { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public InboxWriter(TenantDatabase database, ILogger<InboxWriter> logger)
    {
        _database = database.Shared;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public async Task<bool> WriteAsync(PendingWrite write)
    {
        await _queue.Writer.WriteAsync(write, _stopping.Token);
        return await write.Outcome;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write)) batch.Add(write);
                try
                {
                    await CommitAsync(batch);
                }
                catch (Exception e) when (batch.Count > 1 && e is not OperationCanceledException)
                {
                    // One bad row must not fail its neighbours: retry each alone so only the culprit fails.
                    _logger.LogWarning(e, "A batch of {Count} inbox writes failed; retrying them one by one", batch.Count);
                    foreach (var write in batch) await CommitAloneAsync(write);
                }
                catch (Exception e)
                {
                    batch[0].Fail(e);
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
            write.Fail(e);
        }
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
        for (var i = 0; i < ordered.Count; i++) ordered[i].Succeed(results[i]);
    }

    public async ValueTask DisposeAsync()
    {
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
        while (_queue.Reader.TryRead(out var orphan)) orphan.Fail(new OperationCanceledException("The silo is stopping."));
        _stopping.Dispose();
    }
}
