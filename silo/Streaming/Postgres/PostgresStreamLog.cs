using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Silo.Streaming.Postgres;

/// <summary>
/// The SQL of one provider's queues: <c>flexoraa_stream_queues</c> (heads), <c>flexoraa_stream_log</c> (rows),
/// <c>flexoraa_stream_offsets</c> (how far each queue is delivered) and <c>flexoraa_stream_dead_letters</c>.
/// Hand-tuned Npgsql on purpose: this is the ingest hot path, one statement per group commit rather than per event.
/// </summary>
public sealed class PostgresStreamLog(NpgsqlDataSource database, string provider)
{
    /// <summary>The channel every provider's writers notify on; the payload is <c>{provider}/{queue},{queue}…</c>.</summary>
    public const string NotificationChannel = "flexoraa_streams";

    public string Provider { get; } = provider;

    /// <summary>Makes sure every queue has its head and offset rows, so writers and readers only ever update.</summary>
    public async Task EnsureQueuesAsync(int queueCount, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        foreach (var table in new[] { "flexoraa_stream_queues", "flexoraa_stream_offsets" })
        {
            var command = new NpgsqlBatchCommand($"INSERT INTO {table} (provider, queue_id) SELECT $1, q FROM generate_series(0, $2 - 1) AS q ON CONFLICT DO NOTHING");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = queueCount });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Appends the batch in one transaction: locks the heads of the queues it touches (in queue order, so two writers
    /// never deadlock), numbers the rows after them, inserts them, moves the heads and notifies the readers, which
    /// PostgreSQL delivers only on commit.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<StreamAppend> batch, CancellationToken cancellationToken)
    {
        var queues = batch.Select(a => a.QueueId).Distinct().Order().ToArray();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var heads = new Dictionary<int, long>(queues.Length);
        await using (var lockHeads = new NpgsqlCommand(
            "SELECT queue_id, head FROM flexoraa_stream_queues WHERE provider = $1 AND queue_id = ANY($2) ORDER BY queue_id FOR UPDATE",
            connection, transaction))
        {
            lockHeads.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
            lockHeads.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = queues });
            await using var reader = await lockHeads.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) heads[reader.GetInt32(0)] = reader.GetInt64(1);
        }
        if (heads.Count != queues.Length)
        {
            throw new InvalidOperationException($"Stream provider '{Provider}' has no head row for queue(s) {string.Join(",", queues.Where(q => !heads.ContainsKey(q)))}.");
        }

        var queueIds = new int[batch.Count];
        var sequences = new long[batch.Count];
        var payloads = new byte[batch.Count][];
        for (var i = 0; i < batch.Count; i++)
        {
            var queue = batch[i].QueueId;
            queueIds[i] = queue;
            sequences[i] = heads[queue] = heads[queue] + 1;
            payloads[i] = batch[i].Payload;
        }

        await using (var write = new NpgsqlBatch(connection, transaction))
        {
            var insert = new NpgsqlBatchCommand(
                "INSERT INTO flexoraa_stream_log (provider, queue_id, seq, payload) SELECT $1, q, s, p FROM unnest($2::integer[], $3::bigint[], $4::bytea[]) AS r(q, s, p)");
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
            insert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = queueIds });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = sequences });
            insert.Parameters.Add(new NpgsqlParameter { Value = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            write.BatchCommands.Add(insert);

            var moveHeads = new NpgsqlBatchCommand(
                "UPDATE flexoraa_stream_queues AS h SET head = v.head FROM unnest($2::integer[], $3::bigint[]) AS v(queue_id, head) WHERE h.provider = $1 AND h.queue_id = v.queue_id");
            moveHeads.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
            moveHeads.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = queues });
            moveHeads.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = queues.Select(q => heads[q]).ToArray() });
            write.BatchCommands.Add(moveHeads);

            var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = NotificationChannel });
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider + "/" + string.Join(",", queues) });
            write.BatchCommands.Add(notify);

            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The queue's committed position: everything at or below it has been delivered.</summary>
    public async Task<long> CommittedAsync(int queueId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT committed FROM flexoraa_stream_offsets WHERE provider = $1 AND queue_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = queueId });
        return await command.ExecuteScalarAsync(cancellationToken) is long committed ? committed : 0;
    }

    /// <summary>Up to <paramref name="limit"/> rows of the queue after <paramref name="after"/>, in sequence order.</summary>
    public async Task<IReadOnlyList<StreamLogRow>> ReadAsync(int queueId, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT seq, payload FROM flexoraa_stream_log WHERE provider = $1 AND queue_id = $2 AND seq > $3 ORDER BY seq LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = queueId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var rows = new List<StreamLogRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(new StreamLogRow(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        return rows;
    }

    /// <summary>
    /// Records that the queue is delivered up to <paramref name="committed"/> and removes those rows, in one round trip.
    /// A position never moves back: a reader that lost its queue to another silo may still report an older one.
    /// <paramref name="retention"/> also removes undelivered rows older than that (for providers whose events expire).
    /// </summary>
    public async Task CommitAsync(int queueId, long committed, TimeSpan? retention, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        var offset = new NpgsqlBatchCommand("UPDATE flexoraa_stream_offsets SET committed = GREATEST(committed, $3), updated_at = now() WHERE provider = $1 AND queue_id = $2");
        var trim = new NpgsqlBatchCommand(retention is null
            ? "DELETE FROM flexoraa_stream_log WHERE provider = $1 AND queue_id = $2 AND seq <= $3"
            : "DELETE FROM flexoraa_stream_log WHERE provider = $1 AND queue_id = $2 AND (seq <= $3 OR enqueued_at < now() - $4)");
        foreach (var command in new[] { offset, trim })
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = queueId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = committed });
            batch.BatchCommands.Add(command);
        }
        if (retention is { } keep) trim.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = keep });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Copies an event a consumer could not take to the dead letters, with the reason, unless it is already there.</summary>
    public async Task DeadLetterAsync(int queueId, long sequence, string streamId, string reason, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO flexoraa_stream_dead_letters (provider, queue_id, seq, stream_id, payload, reason)
            SELECT $1, $2, $3, $4, (SELECT payload FROM flexoraa_stream_log WHERE provider = $1 AND queue_id = $2 AND seq = $3), $5
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = queueId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
