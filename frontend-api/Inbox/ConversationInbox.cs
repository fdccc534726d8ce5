using System.Text.Json;
using Flexoraa.Api;
using Flexoraa.Channels;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// Reads the inbox read models (conversations, messages, message_statuses) that ConversationGrain writes. Every query
/// runs in the caller's <see cref="TenantSession"/> and filters by <c>tenant_id = @tenant</c>; row-level security hides
/// other tenants' rows as well.
/// <para>
/// Full-text search matches each message as its own row was indexed (<c>messages.search_config</c>: the tenant's search
/// language when it was written, simple before migration 0026): the GIN index finds candidates with the query in every
/// language the tenant's rows may have (<see cref="TenantSettings.SearchedLanguages"/>, ORed by <c>tsquery_any</c>), and
/// each candidate is checked, ranked and highlighted with the query in its own language, so "chair" finds "chairs" in an
/// English row and "-chairs" excludes it there too.
/// </para>
/// </summary>
public sealed class ConversationInbox(TenantDatabase database, IGrainFactory grains, TimeProvider clock)
{
    /// <summary>The candidates' query: one per language the tenant's rows may be indexed in, ORed.</summary>
    private const string AnyLanguageQuery = "SELECT tsquery_any(websearch_to_tsquery(l::regconfig, @text)) AS query FROM unnest(@languages) AS l";

    /// <summary>Whether message <c>m</c> matches <c>@text</c> as its row was indexed; <see cref="AnyLanguageQuery"/> keeps it to the index's candidates.</summary>
    private const string RowQuery = "websearch_to_tsquery(m.search_config, @text)";

    private const string SummaryColumns =
        "c.id, c.channel, c.channel_account_id, c.contact_id, c.contact_name, c.lead_id, c.status, c.assignee_user_id, c.tags, " +
        "c.unread_count, c.last_message_at, c.last_message_preview, c.last_inbound_at, c.contact_username, c.contact_avatar_url, c.contact_profile_status, " +
        "c.contact_user_id, c.previous_conversation_id, " +
        // Derived, so the two links cannot disagree; the first continuation wins when (unusually) there are two.
        "(SELECT n.id FROM conversations n WHERE n.tenant_id = c.tenant_id AND n.previous_conversation_id = c.id ORDER BY n.created_at, n.id LIMIT 1) AS continued_in_conversation_id";

    private const string MessageColumns =
        "m.id, m.external_id, m.direction, m.kind, m.body, m.attachments::text AS attachments, m.content::text AS content, m.reply_to_external_id, m.occurred_at, " +
        // A reply Meta refused for now (last_error set) and that is queued or being tried again shows as retrying.
        "COALESCE(s.status, CASE WHEN o.state IN ('queued', 'sending') AND o.last_error IS NOT NULL THEN 'retrying' " +
        "WHEN o.state = 'sending' OR (o.state = 'sent' AND NOT o.applied) THEN 'queued' ELSE o.state END) AS delivery_status, " +
        "COALESCE(s.error_code, o.error_code) AS error_code, COALESCE(s.error_title, o.error_title) AS error_title, o.sandbox, " +
        "CASE WHEN s.status IS NULL AND o.state = 'failed' THEN o.error_message WHEN s.status IS NULL AND o.state <> 'sent' THEN o.last_error END AS last_error, " +
        // A reply still on its first try shows no attempt count, as the hub announced it: the count means something once it has an outcome.
        "CASE WHEN s.status IS NULL AND o.last_error IS NULL AND (o.state IN ('queued', 'sending') OR (o.state = 'sent' AND NOT o.applied)) THEN NULL " +
        "ELSE o.attempts END AS attempts, CASE WHEN s.status IS NULL AND o.state = 'queued' THEN o.next_attempt_at END AS next_attempt_at, " +
        "m.reactions::text AS reactions, m.edited_at, m.edit_history::text AS edit_history, m.deleted_at";

    private const string StatusJoin =
        "LEFT JOIN message_statuses s ON s.tenant_id = m.tenant_id AND s.channel = m.channel AND s.external_id = m.external_id " +
        // A reply's own state (queued, or failed before Meta named it) until Meta's reports take over; it shows as sent
        // once the conversation has given it Meta's id, so a client never sees "sent" with the temporary id.
        "LEFT JOIN outbound_messages o ON o.tenant_id = m.tenant_id AND o.message_id = m.id";

    // The body is HTML-escaped before highlighting, so the only markup in a snippet is the <mark> this adds. The content's
    // summary follows it, as in the search column, so a location found by its address shows the address.
    private const string EscapedBody =
        "replace(replace(replace(concat_ws(' · ', nullif(m.body, ''), m.content->>'summary'), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')";

    public async Task<CursorPage<ConversationSummaryView>> ListAsync(
        string tenantId, ConversationFilter filter, PageRequest<ConversationCursor> page, CancellationToken cancellationToken = default)
    {
        // Only the conditions a filter asks for go into the SQL (each a fixed fragment, never input), so the planner
        // sees e.g. a tag filter as the GIN-indexed containment it is; every value travels as a parameter below.
        var where = new List<string> { "c.tenant_id = @tenant" };
        if (filter.Status is not null) where.Add("c.status = @status");
        if (filter.Unassigned) where.Add("c.assignee_user_id IS NULL");
        if (filter.AssigneeUserId is not null) where.Add("c.assignee_user_id = @assignee");
        if (filter.Channel is not null) where.Add("c.channel = @channel");
        if (filter.ChannelAccountId is not null) where.Add("c.channel_account_id = @account");
        if (filter.Tag is not null) where.Add("c.tags @> ARRAY[@tag]::text[]");
        if (filter.Unread is { } unread) where.Add(unread ? "c.unread_count > 0" : "c.unread_count = 0");
        if (filter.Query is not null)
        {
            where.Add($"""
                (c.contact_name ILIKE @like OR EXISTS (
                    SELECT 1 FROM messages m
                    WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.deleted_at IS NULL
                      AND m.search @@ ({AnyLanguageQuery}) AND m.search @@ {RowQuery}))
                """);
        }
        var languages = filter.Query is null ? null : await SearchedLanguagesAsync(tenantId);
        if (page.After is { } after)
        {
            // Activity order puts conversations without a message last, so the keyset has to say so explicitly.
            where.Add(after.LastMessageAt is not null
                ? "(c.last_message_at < @afterAt OR (c.last_message_at = @afterAt AND c.id < @afterId) OR c.last_message_at IS NULL)"
                : "(c.last_message_at IS NULL AND c.id < @afterId)");
        }

        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<SummaryRow>(
            $"SELECT {SummaryColumns} FROM conversations c WHERE {string.Join(" AND ", where)} ORDER BY c.last_message_at DESC NULLS LAST, c.id DESC LIMIT @limit",
            new
            {
                status = filter.Status, assignee = filter.AssigneeUserId, channel = filter.Channel, account = filter.ChannelAccountId, tag = filter.Tag,
                text = filter.Query, languages, like = filter.Query is { } words ? "%" + EscapeLike(words) + "%" : null,
                afterAt = page.After?.LastMessageAt, afterId = page.After?.Id, limit = page.Limit + 1,
            }, cancellationToken);
        var now = clock.GetUtcNow();
        return page.ToPage(rows.Select(r => r.ToView(now)).ToList(), r => new ConversationCursor(r.LastMessageAt, r.Id));
    }

    /// <summary>The conversation and one page of its messages, newest first; null when this tenant has no such conversation.</summary>
    public async Task<ConversationDetail?> GetAsync(
        string tenantId, string conversationId, PageRequest<MessageCursor> page, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var found = await session.QuerySingleOrDefaultAsync<SummaryRow>(
            $"SELECT {SummaryColumns} FROM conversations c WHERE c.tenant_id = @tenant AND c.id = @conversationId", new { conversationId }, cancellationToken);
        if (found is null) return null;
        var summary = found.ToView(clock.GetUtcNow());

        var before = page.After is null ? "" : " AND (m.occurred_at, m.id) < (@beforeAt, @beforeId)";
        var rows = await session.QueryAsync<MessageRow>($"""
            SELECT {MessageColumns} FROM messages m {StatusJoin}
            WHERE m.tenant_id = @tenant AND m.conversation_id = @conversationId{before}
            ORDER BY m.occurred_at DESC, m.id DESC LIMIT @limit
            """, new { conversationId, beforeAt = page.After?.OccurredAt, beforeId = page.After?.Id, limit = page.Limit + 1 }, cancellationToken);
        return new ConversationDetail(summary, page.ToPage(rows.Select(r => r.ToView()).ToList(), m => new MessageCursor(m.OccurredAt, m.Id)));
    }

    /// <summary>One message of the conversation by its id (<c>messages.id</c>); null when this tenant has no such message there.</summary>
    public async Task<MessageView?> GetMessageAsync(string tenantId, string conversationId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var row = await session.QuerySingleOrDefaultAsync<MessageRow>($"""
            SELECT {MessageColumns} FROM messages m {StatusJoin}
            WHERE m.tenant_id = @tenant AND m.conversation_id = @conversationId AND m.id = @messageId
            """, new { conversationId, messageId }, cancellationToken);
        return row?.ToView();
    }

    /// <summary>The tenant's messages matching <paramref name="text"/> (web-search syntax: words, "phrases", or, -not), best first.</summary>
    public async Task<CursorPage<MessageSearchHit>> SearchAsync(
        string tenantId, string text, PageRequest<SearchCursor> page, CancellationToken cancellationToken = default)
    {
        var after = page.After is null ? "" : "WHERE (rank, occurred_at, id) < (@afterRank::real, @afterAt, @afterId)";
        var languages = await SearchedLanguagesAsync(tenantId);
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        // Ranks every match (the GIN index finds them), but builds the costly headline only for the page it returns.
        var rows = await session.QueryAsync<SearchHitRow>($"""
            WITH q AS ({AnyLanguageQuery}),
            hits AS (
                SELECT m.id, m.occurred_at, ts_rank(m.search, {RowQuery}) AS rank
                FROM messages m CROSS JOIN q
                WHERE m.tenant_id = @tenant AND m.search @@ q.query AND m.search @@ {RowQuery} AND m.deleted_at IS NULL),
            page AS (
                SELECT id, occurred_at, rank FROM hits {after}
                ORDER BY rank DESC, occurred_at DESC, id DESC LIMIT @limit)
            SELECT {MessageColumns}, m.conversation_id, p.rank,
                   ts_headline(m.search_config, {EscapedBody}, {RowQuery}, 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15') AS snippet
            FROM page p
            JOIN messages m ON m.tenant_id = @tenant AND m.id = p.id
            {StatusJoin}
            ORDER BY p.rank DESC, p.occurred_at DESC, p.id DESC
            """, new { text, languages, afterRank = page.After?.Rank, afterAt = page.After?.OccurredAt, afterId = page.After?.Id, limit = page.Limit + 1 },
            cancellationToken);
        return page.ToPage(
            rows.Select(r => new MessageSearchHit(r.ConversationId, r.Message(), r.Snippet, r.Rank)).ToList(),
            h => new SearchCursor(h.Rank, h.Message.OccurredAt, h.Message.Id));
    }

    /// <summary>The languages the tenant's rows may be indexed in, from its grain (in memory there); simple alone for a tenant without settings.</summary>
    private async Task<string[]> SearchedLanguagesAsync(string tenantId) =>
        await grains.GetGrain<ITenantGrain>(tenantId).Get() is { } tenant ? [.. tenant.Settings.SearchedLanguages()] : [SearchLanguages.Simple];

    private static MessageView Message(
        long id, string externalId, string direction, string kind, string? body, JsonElement attachments, string? content, string? replyToExternalId,
        DateTimeOffset occurredAt, string? deliveryStatus, int? errorCode, string? errorTitle, bool? sandbox, DeliveryRetry retry, MessageChanges changes)
    {
        // A deleted message keeps its text and media in the row (audit, retention) but shows none of them.
        var deleted = changes.DeletedAt is not null;
        return new(id, externalId, direction, kind, deleted ? null : body, deleted ? EmptyAttachments : attachments, replyToExternalId, occurredAt,
            deliveryStatus is null ? null : new MessageDelivery(deliveryStatus, errorCode, errorTitle, retry.LastError, retry.Attempts, retry.NextAttemptAt), sandbox,
            deleted || content is null ? null : JsonSerializer.Deserialize<MessageContent>(content, ApiJson.Options),
            MessageReaction.ListOf(changes.Reactions), changes.EditedAt is not null, changes.EditedAt,
            deleted ? [] : PreviousVersions(changes.EditHistory), deleted, changes.DeletedAt);
    }

    private static readonly JsonElement EmptyAttachments = JsonDocument.Parse("[]").RootElement.Clone();

    /// <summary><c>messages.edit_history</c> (<c>[{body, at, replacedBy}]</c>, oldest first) as the API shows it.</summary>
    private static List<MessageVersion> PreviousVersions(string? history) =>
        history is null ? [] : [.. (JsonSerializer.Deserialize<List<MessageVersion>>(history, JsonSerializerOptions.Web) ?? []).Select(v => v with { At = v.At.ToUniversalTime() })];

    /// <summary>A reply's retry columns as selected by <see cref="MessageColumns"/>.</summary>
    private sealed record DeliveryRetry(string? LastError, int? Attempts, DateTimeOffset? NextAttemptAt);

    /// <summary>The reaction, edit and deletion columns (migration 0023) as selected by <see cref="MessageColumns"/>.</summary>
    private sealed record MessageChanges(string? Reactions, DateTimeOffset? EditedAt, string? EditHistory, DateTimeOffset? DeletedAt);

    /// <summary>A <c>conversations</c> row as selected by <see cref="SummaryColumns"/>.</summary>
    private sealed record SummaryRow(
        string Id, string Channel, string ChannelAccountId, string ContactId, string? ContactName, string? LeadId, string Status,
        string? AssigneeUserId, string[] Tags, int UnreadCount, DateTimeOffset? LastMessageAt, string? LastMessagePreview, DateTimeOffset? LastInboundAt,
        string? ContactUsername, string? ContactAvatarUrl, string? ContactProfileStatus, string? ContactUserId, string? PreviousConversationId,
        string? ContinuedInConversationId)
    {
        public ConversationSummaryView ToView(DateTimeOffset now) => new(
            Id, Channel, ChannelAccountId, Contact(), LeadId, Status, AssigneeUserId, Tags, UnreadCount,
            LastMessageAt, LastMessagePreview, LastInboundAt, ServiceWindow.At(LastInboundAt, now), PreviousConversationId, ContinuedInConversationId);

        private ConversationContact Contact() => ConversationContact.Of(
            ChannelKindNames.TryParse(Channel, out var channel) ? channel : ChannelKind.WhatsApp, ContactId, ContactName, ContactUsername, ContactAvatarUrl,
            Flexoraa.Contacts.ContactProfileStatuses.Parse(ContactProfileStatus), ContactUserId);
    }

    /// <summary>A message as selected by <see cref="MessageColumns"/>.</summary>
    private sealed record MessageRow(
        long Id, string ExternalId, string Direction, string Kind, string? Body, JsonElement Attachments, string? Content, string? ReplyToExternalId,
        DateTimeOffset OccurredAt, string? DeliveryStatus, int? ErrorCode, string? ErrorTitle, bool? Sandbox, string? LastError, int? Attempts,
        DateTimeOffset? NextAttemptAt, string? Reactions, DateTimeOffset? EditedAt, string? EditHistory, DateTimeOffset? DeletedAt)
    {
        public MessageView ToView() => Message(Id, ExternalId, Direction, Kind, Body, Attachments, Content, ReplyToExternalId, OccurredAt, DeliveryStatus,
            ErrorCode, ErrorTitle, Sandbox, new DeliveryRetry(LastError, Attempts, NextAttemptAt), new MessageChanges(Reactions, EditedAt, EditHistory, DeletedAt));
    }

    /// <summary>A search hit: <see cref="MessageColumns"/>, then the conversation, the rank and the highlighted snippet.</summary>
    private sealed record SearchHitRow(
        long Id, string ExternalId, string Direction, string Kind, string? Body, JsonElement Attachments, string? Content, string? ReplyToExternalId,
        DateTimeOffset OccurredAt, string? DeliveryStatus, int? ErrorCode, string? ErrorTitle, bool? Sandbox, string? LastError, int? Attempts,
        DateTimeOffset? NextAttemptAt, string? Reactions, DateTimeOffset? EditedAt, string? EditHistory, DateTimeOffset? DeletedAt, string ConversationId, float Rank,
        string Snippet)
    {
        public MessageView Message() => ConversationInbox.Message(Id, ExternalId, Direction, Kind, Body, Attachments, Content, ReplyToExternalId, OccurredAt,
            DeliveryStatus, ErrorCode, ErrorTitle, Sandbox, new DeliveryRetry(LastError, Attempts, NextAttemptAt), new MessageChanges(Reactions, EditedAt, EditHistory, DeletedAt));
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
