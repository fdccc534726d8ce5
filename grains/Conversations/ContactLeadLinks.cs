using System.Security.Cryptography;
using Flexoraa.Channels;
using Flexoraa.ReadModels;
using Npgsql;

namespace Flexoraa.Conversations;

/// <summary>
/// Finds the lead a channel contact belongs to — by phone for WhatsApp (a wa_id is the number without its '+'),
/// by channel id otherwise — and creates one with source = the channel when there is none.
/// </summary>
public sealed class ContactLeadLinks(TenantDatabase database)
{
    public async Task<string> LinkAsync(string tenantId, string conversationId, ChannelKind channel, string contactId, string? contactName,
        CancellationToken cancellationToken = default)
    {
        var phone = channel == ChannelKind.WhatsApp && contactId.Length is >= 6 and <= 15 && contactId.All(char.IsAsciiDigit) ? "+" + contactId : null;
        var channelName = AppendMessageWrite.ChannelName(channel);

        // Two conversations may race to create the same lead; the unique indexes pick one and the loser finds it next round.
        for (var attempt = 0; ; attempt++)
        {
            await using var session = await database.BeginAsync(tenantId, cancellationToken);
            await using var find = session.Command("""
                SELECT id FROM leads
                WHERE tenant_id = @tenant AND ((@phone::varchar IS NOT NULL AND phone_e164 = @phone) OR (channel = @channel AND channel_contact_id = @contact))
                ORDER BY created_at LIMIT 1
                """);
            find.Parameters.AddWithValue("tenant", tenantId);
            find.Parameters.Add(new NpgsqlParameter("phone", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)phone ?? DBNull.Value });
            find.Parameters.AddWithValue("channel", channelName);
            find.Parameters.AddWithValue("contact", contactId);
            var leadId = (string?)await find.ExecuteScalarAsync(cancellationToken);

            try
            {
                if (leadId is null)
                {
                    leadId = "ld_" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 16);
                    await using var create = session.Command("""
                        INSERT INTO leads (tenant_id, id, display_name, phone_e164, channel, channel_contact_id, source)
                        VALUES (@tenant, @id, @name, @phone, @channel, @contact, @channel)
                        """);
                    create.Parameters.AddWithValue("tenant", tenantId);
                    create.Parameters.AddWithValue("id", leadId);
                    create.Parameters.AddWithValue("name", (object?)contactName ?? DBNull.Value);
                    create.Parameters.Add(new NpgsqlParameter("phone", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)phone ?? DBNull.Value });
                    create.Parameters.AddWithValue("channel", channelName);
                    create.Parameters.AddWithValue("contact", contactId);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var link = session.Command("UPDATE conversations SET lead_id = @lead WHERE tenant_id = @tenant AND id = @conversation");
                link.Parameters.AddWithValue("lead", leadId);
                link.Parameters.AddWithValue("tenant", tenantId);
                link.Parameters.AddWithValue("conversation", conversationId);
                await link.ExecuteNonQueryAsync(cancellationToken);
                await session.CommitAsync(cancellationToken);
                return leadId;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
                // Lost the race: the next round finds the winner's lead.
            }
        }
    }
}
