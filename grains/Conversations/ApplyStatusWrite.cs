using Flexoraa.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>
/// Records a delivery status so that it only ever moves forward: read never goes back to delivered, and a failure keeps
/// Meta's error code and title. It does not need the message to exist yet.
/// </summary>
public sealed class ApplyStatusWrite(string tenantId, ChannelKind channel, string externalMessageId, DeliveryStatus status, DateTimeOffset occurredAt,
    ChannelError? error = null, ChannelStatusUpdate? details = null) : PendingWrite(tenantId)
{
    public static short Rank(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Sent => 1,
        DeliveryStatus.Delivered => 2,
        DeliveryStatus.Read => 3,
        DeliveryStatus.Failed => 4,
        _ => 0,
    };

    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO message_statuses AS s (tenant_id, channel, external_id, status, status_rank, error_code, error_title, error_message,
                                               conversation_category, pricing_category, billable, occurred_at)
            VALUES (@tenant, @channel, @external, @status, @rank, @code, @title, @message, @category, @pricing, @billable, @occurred)
            ON CONFLICT (tenant_id, channel, external_id) DO UPDATE SET
                status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
                error_code = COALESCE(EXCLUDED.error_code, s.error_code),
                error_title = COALESCE(EXCLUDED.error_title, s.error_title),
                error_message = COALESCE(EXCLUDED.error_message, s.error_message),
                conversation_category = COALESCE(EXCLUDED.conversation_category, s.conversation_category),
                pricing_category = COALESCE(EXCLUDED.pricing_category, s.pricing_category),
                billable = COALESCE(EXCLUDED.billable, s.billable),
                occurred_at = EXCLUDED.occurred_at, updated_at = now()
            WHERE s.status_rank < EXCLUDED.status_rank
            RETURNING 1
            """);
        var p = command.Parameters;
        p.AddWithValue("tenant", TenantId);
        p.AddWithValue("channel", ChannelKindNames.Of(channel));
        p.AddWithValue("external", externalMessageId);
        p.AddWithValue("status", status.ToString().ToLowerInvariant());
        p.AddWithValue("rank", Rank(status));
        p.Add(new NpgsqlParameter("code", NpgsqlDbType.Integer) { Value = (object?)error?.Code ?? DBNull.Value });
        p.Add(new NpgsqlParameter("title", NpgsqlDbType.Varchar) { Value = (object?)error?.Title ?? DBNull.Value });
        p.Add(new NpgsqlParameter("message", NpgsqlDbType.Text) { Value = (object?)(error?.Message ?? error?.Details) ?? DBNull.Value });
        p.Add(new NpgsqlParameter("category", NpgsqlDbType.Varchar) { Value = (object?)details?.ConversationCategory ?? DBNull.Value });
        p.Add(new NpgsqlParameter("pricing", NpgsqlDbType.Varchar) { Value = (object?)details?.Pricing?.Category ?? DBNull.Value });
        p.Add(new NpgsqlParameter("billable", NpgsqlDbType.Boolean) { Value = (object?)details?.Pricing?.Billable ?? DBNull.Value });
        p.AddWithValue("occurred", occurredAt);
        return command;
    }

    /// <summary>True when the status moved forward; false when it was stale (already at or past it).</summary>
    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken);
}
