using System.Buffers;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>The look-ups that fill a canned response's variables, inside the caller's tenant session.</summary>
public static class CannedResponseExpansion
{
    public static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n");

    /// <summary>
    /// The conversation's contact, or null when the tenant has no such conversation. The phone is the linked lead's E.164
    /// number when there is one, else the WhatsApp id in E.164 form; Messenger and Instagram ids are not phone numbers.
    /// </summary>
    public static async Task<CannedResponseContext?> ConversationAsync(TenantSession session, string conversationId, CancellationToken cancellationToken)
    {
        await using var query = session.Command("""
            SELECT c.contact_name, c.contact_id, c.channel, l.phone_e164
            FROM conversations c LEFT JOIN leads l ON l.tenant_id = c.tenant_id AND l.id = c.lead_id
            WHERE c.tenant_id = @tenant AND c.id = @id
            """);
        query.Parameters.AddWithValue("tenant", session.TenantId);
        query.Parameters.AddWithValue("id", conversationId);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var name = reader.IsDBNull(0) ? null : reader.GetString(0);
        var contactId = reader.GetString(1);
        var channel = reader.GetString(2);
        var leadPhone = reader.IsDBNull(3) ? null : reader.GetString(3);
        var phone = leadPhone ?? (channel == "whatsapp" ? CannedResponseContext.PhoneFromWhatsAppId(contactId) : null);
        return new CannedResponseContext(name, phone, null, null, conversationId);
    }

    /// <summary>The member's display name in this tenant (the members read model), or the account's when the mirror lags.</summary>
    public static async Task<string?> AgentNameAsync(TenantSession session, string userId, CancellationToken cancellationToken)
    {
        await using var query = session.Command("""
            SELECT coalesce((SELECT m.display_name FROM tenant_members m WHERE m.tenant_id = @tenant AND m.user_id = @user),
                            (SELECT u.display_name FROM users u WHERE u.id = @user))
            """);
        query.Parameters.AddWithValue("tenant", session.TenantId);
        query.Parameters.AddWithValue("user", userId);
        return await query.ExecuteScalarAsync(cancellationToken) as string;
    }
}
