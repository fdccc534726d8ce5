using System.Security.Cryptography;
using Flexoraa.Channels;
using Flexoraa.ReadModels;

namespace Flexoraa.Conversations;

/// <summary>
/// The lead directory: finds the lead a channel contact belongs to — by phone for WhatsApp (a wa_id is the number
/// without its '+'), by channel id otherwise — creates one with source = the channel, in the tenant's default pipeline's
/// first stage, when there is none, and links the conversation to it. Every conversation of every silo finds or creates
/// its lead here and nowhere else.
/// <para>
/// The arbiter between silos is PostgreSQL's unique indexes on the lead's phone and channel contact, not a grain: a
/// directory grain would cost a grain call (and its activation) on the first message of every new contact, on the ingest
/// path, while the statement rides the commit the message needs anyway. The row it writes is the lead's state of
/// record, so the <c>LeadGrain</c> sees it when it activates.
/// </para>
/// <para>
/// One statement does all three. A new contact's link rides in the <see cref="InboxWriter"/> batch right after its first
/// message (<see cref="Write"/>), so the first message costs one commit for the message, the conversation row and the
/// lead together. Two conversations racing to create the same lead meet at the unique indexes: the loser's insert does
/// nothing and the statement links nothing; then <see cref="LinkAsync"/> runs it again in a transaction of its own,
/// which finds the winner's lead.
/// </para>
/// <para>
/// A conversation that continues another (<c>previous</c>: the old number's after a change of number, or the same
/// customer's BSUID-only conversation) takes that conversation's lead instead, links its row to it, and gives the lead
/// its number when no other lead has it, so the customer's new number does not become a new lead.
/// </para>
/// </summary>
public sealed class ContactLeadLinks(TenantDatabase database)
{
    /// <summary>
    /// Answers the linked lead's id and whether the lead took the customer's number (its row changed, so an active
    /// <c>LeadGrain</c> must reload); no row when a racing insert of the same lead won. A tenant whose pipelines were never
    /// read has none yet: the statement makes the default one, as <see cref="Leads.PipelinesGrain"/> would on activation.
    /// </summary>
    internal const string Sql = """
        WITH prior AS (
            SELECT p.id AS conversation_id, p.lead_id AS id FROM conversations p
            WHERE p.tenant_id = @tenant AND p.id = @previous::varchar AND p.id <> @conversation
        ), found AS (
            SELECT id FROM (
                SELECT id, 0 AS rank FROM prior WHERE id IS NOT NULL
                UNION ALL
                (SELECT id, 1 AS rank FROM leads
                 WHERE tenant_id = @tenant AND ((@phone::varchar IS NOT NULL AND phone_e164 = @phone) OR (channel = @channel AND channel_contact_id = @contact))
                 ORDER BY created_at LIMIT 1)
            ) candidates ORDER BY rank LIMIT 1
        ), pipeline AS (
            SELECT id, stages->0->>'id' AS stage_id FROM lead_pipelines WHERE tenant_id = @tenant ORDER BY position, created_at, id LIMIT 1
        ), default_pipeline AS (
            INSERT INTO lead_pipelines (tenant_id, id, name, position, stages)
            SELECT @tenant, @defaultPipeline, @defaultPipelineName, 0, @defaultStages::jsonb
            WHERE NOT EXISTS (SELECT 1 FROM found) AND NOT EXISTS (SELECT 1 FROM pipeline)
            ON CONFLICT DO NOTHING
            RETURNING 1
        ), created AS (
            INSERT INTO leads (tenant_id, id, display_name, phone_e164, channel, channel_contact_id, source, pipeline_id, stage_id)
            SELECT @tenant, @newLead, @name, @phone, @channel, @contact, @channel,
                   COALESCE((SELECT id FROM pipeline), @defaultPipeline), COALESCE((SELECT stage_id FROM pipeline), @defaultStage)
            WHERE NOT EXISTS (SELECT 1 FROM found)
            ON CONFLICT DO NOTHING
            RETURNING id
        ), lead AS (
            SELECT id FROM found UNION ALL SELECT id FROM created
        ), moved AS (
            -- The customer's number is the continued lead's now, unless another lead already has it.
            UPDATE leads l SET phone_e164 = @phone, version = l.version + 1, updated_at = now() FROM prior
            WHERE l.tenant_id = @tenant AND l.id = prior.id AND @phone::varchar IS NOT NULL AND l.phone_e164 IS DISTINCT FROM @phone
              AND NOT EXISTS (SELECT 1 FROM leads o WHERE o.tenant_id = @tenant AND o.phone_e164 = @phone)
            RETURNING 1
        )
        UPDATE conversations SET lead_id = (SELECT id FROM lead LIMIT 1),
            previous_conversation_id = COALESCE(previous_conversation_id, (SELECT conversation_id FROM prior))
        WHERE tenant_id = @tenant AND id = @conversation AND EXISTS (SELECT 1 FROM lead)
        RETURNING lead_id AS leadid, EXISTS (SELECT 1 FROM moved) AS moved
        """;

    /// <summary>The default pipeline's stages as <c>lead_pipelines</c> stores them.</summary>
    internal static readonly string DefaultStagesJson = System.Text.Json.JsonSerializer.Serialize(Leads.PipelinesGrain.DefaultStages, Api.ApiJson.Options);

    /// <summary>The link as a write for the group commit, to submit right after the conversation's messages.</summary>
    public static LeadLinkWrite Write(string tenantId, string conversationId, ChannelKind channel, string contactId, string? contactName,
        string? previousConversationId = null) =>
        new(tenantId, conversationId, channel, contactId, contactName, previousConversationId);

    /// <summary>The link in a transaction of its own: when the batched one lost a race, or could not run.</summary>
    public async Task<LeadLink> LinkAsync(string tenantId, string conversationId, ChannelKind channel, string contactId, string? contactName,
        string? previousConversationId = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var session = await database.BeginAsync(tenantId, cancellationToken);
            var link = await session.QuerySingleOrDefaultAsync<LeadLink>(Sql, new
            {
                conversation = conversationId,
                channel = ChannelKindNames.Of(channel),
                contact = contactId,
                phone = PhoneOf(channel, contactId),
                name = contactName,
                newLead = NewLeadId(),
                previous = previousConversationId,
                defaultPipeline = Leads.PipelinesGrain.DefaultPipelineId(tenantId),
                defaultPipelineName = Leads.PipelinesGrain.DefaultPipelineName,
                defaultStages = DefaultStagesJson,
                defaultStage = Leads.PipelinesGrain.DefaultStages[0].Id,
            }, cancellationToken);
            await session.CommitAsync(cancellationToken);
            if (link is not null) return link;
            // Lost the race to a transaction that has committed by now: the next round finds its lead.
            if (attempt >= 3) throw new InvalidOperationException($"Could not link conversation {conversationId} to a lead.");
        }
    }

    /// <summary>
    /// Links a conversation that already has its lead to the one it continues, learned after its first message (the
    /// old number's <c>user_changed_number</c> arrived after the new number's first message): it takes the continued
    /// conversation's lead. Answers the conversation's lead after the link; null when the continued conversation is not
    /// stored or this one already continues another.
    /// </summary>
    public async Task<string?> ContinueAsync(string tenantId, string conversationId, string previousConversationId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var leadId = await session.ExecuteScalarAsync<string?>("""
            WITH prior AS (SELECT id, lead_id FROM conversations WHERE tenant_id = @tenant AND id = @previous AND id <> @conversation)
            UPDATE conversations c SET previous_conversation_id = prior.id, lead_id = COALESCE(prior.lead_id, c.lead_id), updated_at = now()
            FROM prior
            WHERE c.tenant_id = @tenant AND c.id = @conversation AND (c.previous_conversation_id IS NULL OR c.previous_conversation_id = prior.id)
            RETURNING c.lead_id
            """, new { conversation = conversationId, previous = previousConversationId }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return leadId;
    }

    internal static string? PhoneOf(ChannelKind channel, string contactId) =>
        channel == ChannelKind.WhatsApp && WhatsAppContactId.IsWaId(contactId) ? "+" + contactId : null;

    internal static string NewLeadId() => "ld_" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 16);
}
