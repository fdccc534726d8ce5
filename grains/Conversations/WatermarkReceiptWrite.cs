using Flexoraa.Channels;
using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>
/// Messenger and Instagram report "delivered/read up to time T" for a conversation instead of per message; every message
/// we sent in it up to T moves forward, by the same monotonic rule as <see cref="ApplyStatusWrite"/>.
/// </summary>
public sealed class WatermarkReceiptWrite(string tenantId, string conversationId, DeliveryStatus status, DateTimeOffset watermark) : PendingWrite(tenantId)
{
    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO message_statuses AS s (tenant_id, channel, external_id, status, status_rank, occurred_at)
            SELECT m.tenant_id, m.channel, m.external_id, @status, @rank, @watermark
            FROM messages m
            WHERE m.tenant_id = @tenant AND m.conversation_id = @conversation AND m.direction IN ('echo', 'outbound') AND m.occurred_at <= @watermark
              -- A reply Meta has not named yet (still out_…) was not delivered by anything this watermark covers.
              AND left(m.external_id, 4) <> 'out_'
            ON CONFLICT (tenant_id, channel, external_id) DO UPDATE SET
                status = EXCLUDED.status, status_rank = EXCLUDED.status_rank, occurred_at = EXCLUDED.occurred_at, updated_at = now()
            WHERE s.status_rank < EXCLUDED.status_rank
            RETURNING 1
            """);
        command.Parameters.AddWithValue("tenant", TenantId);
        command.Parameters.AddWithValue("conversation", conversationId);
        command.Parameters.AddWithValue("status", status.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("rank", ApplyStatusWrite.Rank(status));
        command.Parameters.AddWithValue("watermark", watermark);
        return command;
    }

    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var any = false;
        while (await reader.ReadAsync(cancellationToken)) any = true;
        return any;
    }
}
