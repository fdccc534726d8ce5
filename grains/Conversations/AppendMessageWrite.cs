using System.Text.Json;
using Flexoraa.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>
/// Inserts a message unless its channel id is already stored, and only then moves its conversation's summary
/// (last activity, preview, unread count, service window). Outcome: true when the message was new.
/// </summary>
public sealed class AppendMessageWrite(string tenantId, string conversationId, string channelAccountId, ChannelMessage message) : PendingWrite(tenantId)
{
    private const int PreviewLength = 160;

    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand("""
            WITH ins AS (
                INSERT INTO messages (tenant_id, conversation_id, channel, channel_account_id, contact_id, external_id, direction, kind,
                                      body, reply_to_external_id, attachments, raw, occurred_at)
                VALUES (@tenant, @conversation, @channel, @account, @contact, @external, @direction, @kind,
                        @body, @replyTo, @attachments, @raw, @occurred)
                ON CONFLICT (tenant_id, channel, external_id) DO NOTHING
                RETURNING occurred_at
            ), conv AS (
                INSERT INTO conversations AS c (tenant_id, id, channel, channel_account_id, contact_id, contact_name, unread_count,
                                               last_message_at, last_message_preview, last_inbound_at)
                SELECT @tenant, @conversation, @channel, @account, @contact, @name, @unread, ins.occurred_at, @preview, @inboundAt FROM ins
                ON CONFLICT (tenant_id, id) DO UPDATE SET
                    contact_name = COALESCE(EXCLUDED.contact_name, c.contact_name),
                    unread_count = c.unread_count + EXCLUDED.unread_count,
                    last_message_preview = CASE WHEN c.last_message_at IS NULL OR EXCLUDED.last_message_at >= c.last_message_at
                                                THEN EXCLUDED.last_message_preview ELSE c.last_message_preview END,
                    last_message_at = GREATEST(c.last_message_at, EXCLUDED.last_message_at),
                    last_inbound_at = GREATEST(c.last_inbound_at, EXCLUDED.last_inbound_at),
                    updated_at = now()
                RETURNING 1
            )
            SELECT count(*) FROM ins
            """);
        var inbound = message.Direction == MessageDirection.Inbound;
        var p = command.Parameters;
        p.AddWithValue("tenant", TenantId);
        p.AddWithValue("conversation", conversationId);
        p.AddWithValue("channel", ChannelName(message.Channel));
        p.AddWithValue("account", channelAccountId);
        p.AddWithValue("contact", message.ContactId);
        p.AddWithValue("external", message.ExternalMessageId);
        p.AddWithValue("direction", inbound ? "inbound" : "echo");
        p.AddWithValue("kind", JsonNamingPolicy.CamelCase.ConvertName(message.Kind.ToString()));
        p.AddWithValue("body", (object?)message.Text ?? DBNull.Value);
        p.AddWithValue("replyTo", (object?)message.Reply?.MessageId ?? DBNull.Value);
        p.Add(new NpgsqlParameter("attachments", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(message.Attachments.IsDefault ? [] : message.Attachments, JsonSerializerOptions.Web) });
        p.Add(new NpgsqlParameter("raw", NpgsqlDbType.Jsonb) { Value = message.RawJson });
        p.AddWithValue("occurred", message.OccurredAt);
        p.AddWithValue("name", (object?)message.ContactName ?? DBNull.Value);
        p.AddWithValue("unread", inbound ? 1 : 0);
        p.AddWithValue("preview", Preview(message));
        p.Add(new NpgsqlParameter("inboundAt", NpgsqlDbType.TimestampTz) { Value = inbound ? message.OccurredAt : DBNull.Value });
        return command;
    }

    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0) == 1;
    }

    public static string ChannelName(ChannelKind channel) => channel.ToString().ToLowerInvariant();

    private static string Preview(ChannelMessage message)
    {
        var text = message.Text is { Length: > 0 } t ? t : $"[{message.Kind.ToString().ToLowerInvariant()}]";
        return text.Length <= PreviewLength ? text : text[..(PreviewLength - 1)] + "…";
    }
}
