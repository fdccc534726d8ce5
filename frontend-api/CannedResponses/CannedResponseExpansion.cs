using System.Buffers;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>The look-ups that fill a canned response's variables, in one session of the caller's tenant.</summary>
public sealed class CannedResponseExpansion(TenantDatabase database)
{
    public static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n");

    /// <summary>
    /// The conversation's contact and, for a user, the agent's name; null when the tenant has no such conversation. The
    /// phone is the linked lead's E.164 number when there is one, else the WhatsApp id in E.164 form; Messenger and
    /// Instagram ids are not phone numbers.
    /// </summary>
    public async Task<CannedResponseContext?> ContextAsync(string tenantId, string conversationId, string? userId, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        if (await session.QuerySingleOrDefaultAsync<ContactRow>("""
                SELECT c.contact_name, c.contact_id, c.channel, l.phone_e164
                FROM conversations c LEFT JOIN leads l ON l.tenant_id = c.tenant_id AND l.id = c.lead_id
                WHERE c.tenant_id = @tenant AND c.id = @conversationId
                """, new { conversationId }, cancellationToken) is not { } row)
        {
            return null;
        }
        var phone = row.PhoneE164 ?? (row.Channel == "whatsapp" ? CannedResponseContext.PhoneFromWhatsAppId(row.ContactId) : null);
        var agentName = userId is null ? null : await AgentNameAsync(session, userId, cancellationToken);
        return new CannedResponseContext(row.ContactName, phone, agentName, null, conversationId);
    }

    /// <summary>The member's display name in this tenant (the members read model), or the account's when the mirror lags.</summary>
    private static Task<string?> AgentNameAsync(TenantSession session, string userId, CancellationToken cancellationToken) =>
        session.ExecuteScalarAsync<string>("""
            SELECT coalesce((SELECT m.display_name FROM tenant_members m WHERE m.tenant_id = @tenant AND m.user_id = @userId),
                            (SELECT u.display_name FROM users u WHERE u.id = @userId))
            """, new { userId }, cancellationToken);

    private sealed record ContactRow(string? ContactName, string ContactId, string Channel, string? PhoneE164);
}
