using System.Text.Json;
using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>
/// Remembers which wa_id a WhatsApp BSUID belongs to on this channel account (<c>whatsapp_contact_ids</c>), so a later
/// webhook that names the customer by BSUID alone reaches this, the wa_id's, conversation. Rides in the group commit of
/// the messages that taught it, and only when the pair is new to the conversation. When the same customer had written
/// with their number hidden before (a conversation keyed by the BSUID exists), this conversation is linked to that one.
/// Outcome: true when the link to the BSUID's conversation was made by this write.
/// </summary>
public sealed class WhatsAppContactIdWrite(string tenantId, string conversationId, string channelAccountId, string userId, string waId) : PendingWrite(tenantId)
{
    /// <summary>The BSUID this write stores, for the conversation's state once it has committed.</summary>
    public string UserId => userId;

    private const string Sql = """
        WITH pair AS (
            INSERT INTO whatsapp_contact_ids (tenant_id, channel_account_id, user_id, wa_id) VALUES (@tenant, @account, @userId, @waId)
            ON CONFLICT (tenant_id, channel_account_id, user_id) DO UPDATE SET wa_id = EXCLUDED.wa_id, updated_at = now()
            WHERE whatsapp_contact_ids.wa_id <> EXCLUDED.wa_id
            RETURNING 1
        ), linked AS (
            UPDATE conversations c SET previous_conversation_id = @previous
            WHERE c.tenant_id = @tenant AND c.id = @conversation AND c.previous_conversation_id IS NULL AND @previous <> @conversation
              AND EXISTS (SELECT 1 FROM conversations p WHERE p.tenant_id = @tenant AND p.id = @previous)
            RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM linked)
        """;

    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand(Sql);
        var p = command.Parameters;
        p.AddWithValue("tenant", TenantId);
        p.AddWithValue("conversation", conversationId);
        p.AddWithValue("account", channelAccountId);
        p.AddWithValue("userId", userId);
        p.AddWithValue("waId", waId);
        p.AddWithValue("previous", ConversationKeys.ConversationId(channelAccountId, userId));
        return command;
    }

    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken) && reader.GetBoolean(0);

    public override string DeadLetterPayload() => JsonSerializer.Serialize(new { conversationId, channelAccountId, userId, waId });
}
