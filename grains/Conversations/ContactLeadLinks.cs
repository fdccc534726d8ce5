using System.Security.Cryptography;
using Flexoraa.Channels;
using Flexoraa.ReadModels;

namespace Flexoraa.Conversations;

/// <summary>
/// Finds the lead a channel contact belongs to — by phone for WhatsApp (a wa_id is the number without its '+'),
/// by channel id otherwise — creates one with source = the channel when there is none, and links the conversation to it.
/// <para>
/// One statement does all three. A new contact's link rides in the <see cref="InboxWriter"/> batch right after its first
/// message (<see cref="Write"/>), so the first message costs one commit for the message, the conversation row and the
/// lead together. Two conversations racing to create the same lead meet at the unique indexes: the loser's insert does
/// nothing and the statement links nothing; then <see cref="LinkAsync"/> runs it again in a transaction of its own,
/// which finds the winner's lead.
/// </para>
/// </summary>
public sealed class ContactLeadLinks(TenantDatabase database)
{
    /// <summary>Answers the linked lead's id; no row when a racing insert of the same lead won.</summary>
    internal const string Sql = """
        WITH found AS (
            SELECT id FROM leads
            WHERE tenant_id = @tenant AND ((@phone::varchar IS NOT NULL AND phone_e164 = @phone) OR (channel = @channel AND channel_contact_id = @contact))
            ORDER BY created_at LIMIT 1
        ), created AS (
            INSERT INTO leads (tenant_id, id, display_name, phone_e164, channel, channel_contact_id, source)
            SELECT @tenant, @newLead, @name, @phone, @channel, @contact, @channel WHERE NOT EXISTS (SELECT 1 FROM found)
            ON CONFLICT DO NOTHING
            RETURNING id
        ), lead AS (
            SELECT id FROM found UNION ALL SELECT id FROM created
        )
        UPDATE conversations SET lead_id = (SELECT id FROM lead LIMIT 1)
        WHERE tenant_id = @tenant AND id = @conversation AND EXISTS (SELECT 1 FROM lead)
        RETURNING lead_id
        """;

    /// <summary>The link as a write for the group commit, to submit right after the conversation's messages.</summary>
    public static LeadLinkWrite Write(string tenantId, string conversationId, ChannelKind channel, string contactId, string? contactName) =>
        new(tenantId, conversationId, channel, contactId, contactName);

    /// <summary>The link in a transaction of its own: when the batched one lost a race, or could not run.</summary>
    public async Task<string> LinkAsync(string tenantId, string conversationId, ChannelKind channel, string contactId, string? contactName,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var session = await database.BeginAsync(tenantId, cancellationToken);
            var leadId = await session.ExecuteScalarAsync<string?>(Sql, new
            {
                conversation = conversationId,
                channel = ChannelKindNames.Of(channel),
                contact = contactId,
                phone = PhoneOf(channel, contactId),
                name = contactName,
                newLead = NewLeadId(),
            }, cancellationToken);
            await session.CommitAsync(cancellationToken);
            if (leadId is not null) return leadId;
            // Lost the race to a transaction that has committed by now: the next round finds its lead.
            if (attempt >= 3) throw new InvalidOperationException($"Could not link conversation {conversationId} to a lead.");
        }
    }

    internal static string? PhoneOf(ChannelKind channel, string contactId) =>
        channel == ChannelKind.WhatsApp && contactId.Length is >= 6 and <= 15 && contactId.All(char.IsAsciiDigit) ? "+" + contactId : null;

    internal static string NewLeadId() => "ld_" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 16);
}
