using System.Text;
using System.Text.Json;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// Reads the inbox read models (conversations, messages, message_statuses) that ConversationGrain writes. Every query
/// runs in the caller's <see cref="TenantSession"/>, so row-level security hides other tenants' rows whatever the SQL says.
/// </summary>
public sealed class ConversationInbox(TenantDatabase database, TimeProvider clock)
{
    private const string SummaryColumns =
        "c.id, c.channel, c.channel_account_id, c.contact_id, c.contact_name, c.lead_id, c.status, c.assignee_user_id, c.tags, " +
        "c.unread_count, c.last_message_at, c.last_message_preview, c.last_inbound_at";

    private const string MessageColumns =
        "m.id, m.external_id, m.direction, m.kind, m.body, m.attachments::text, m.reply_to_external_id, m.occurred_at, " +
        "COALESCE(s.status, CASE WHEN o.state = 'sending' OR (o.state = 'sent' AND NOT o.applied) THEN 'queued' ELSE o.state END), COALESCE(s.error_code, o.error_code), " +
        "COALESCE(s.error_title, o.error_title), o.sandbox";

    private const string StatusJoin =
        "LEFT JOIN message_statuses s ON s.tenant_id = m.tenant_id AND s.channel = m.channel AND s.external_id = m.external_id " +
        // A reply's own state (queued, or failed before Meta named it) until Meta's reports take over; it shows as sent
        // once the conversation has given it Meta's id, so a client never sees "sent" with the temporary id.
        "LEFT JOIN outbound_messages o ON o.tenant_id = m.tenant_id AND o.message_id = m.id";

    // The body is HTML-escaped before highlighting, so the only markup in a snippet is the <mark> this adds.
    private const string EscapedBody = "replace(replace(replace(coalesce(m.body, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')";

    public async Task<CursorPage<ConversationSummaryView>> ListAsync(
        string tenantId, ConversationFilter filter, PageRequest<ConversationCursor> page, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var query = session.Command("");
        var where = new List<string> { "c.tenant_id = @tenant" };
        query.Parameters.AddWithValue("tenant", tenantId);
        void Add(string condition, string name, object value)
        {
            where.Add(condition);
            query.Parameters.AddWithValue(name, value);
        }

        if (filter.Status is { } status) Add("c.status = @status", "status", status);
        if (filter.Unassigned) where.Add("c.assignee_user_id IS NULL");
        if (filter.AssigneeUserId is { } assignee) Add("c.assignee_user_id = @assignee", "assignee", assignee);
        if (filter.Channel is { } channel) Add("c.channel = @channel", "channel", channel);
        if (filter.ChannelAccountId is { } account) Add("c.channel_account_id = @account", "account", account);
        if (filter.Tag is { } tag) Add("c.tags @> ARRAY[@tag]::text[]", "tag", tag);
        if (filter.Unread is { } unread) where.Add(unread ? "c.unread_count > 0" : "c.unread_count = 0");
        if (filter.Query is { } text)
        {
            Add("""
                (c.contact_name ILIKE @like OR EXISTS (
                    SELECT 1 FROM messages m
                    WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.search @@ websearch_to_tsquery('simple', @q)))
                """, "q", text);
            query.Parameters.AddWithValue("like", "%" + EscapeLike(text) + "%");
        }
        if (page.After is { } after)
        {
            // Activity order puts conversations without a message last, so the keyset has to say so explicitly.
            if (after.LastMessageAt is { } at)
            {
                Add("(c.last_message_at < @afterAt OR (c.last_message_at = @afterAt AND c.id < @afterId) OR c.last_message_at IS NULL)", "afterAt", at);
            }
            else
            {
                where.Add("(c.last_message_at IS NULL AND c.id < @afterId)");
            }
            query.Parameters.AddWithValue("afterId", after.Id);
        }
        query.Parameters.AddWithValue("limit", page.Limit + 1);

        var sql = new StringBuilder($"SELECT {SummaryColumns} FROM conversations c WHERE ");
        sql.AppendJoin(" AND ", where).Append(" ORDER BY c.last_message_at DESC NULLS LAST, c.id DESC LIMIT @limit");
        query.CommandText = sql.ToString();

        var now = clock.GetUtcNow();
        var rows = new List<ConversationSummaryView>();
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) rows.Add(ReadSummary(reader, now));
        }
        return page.ToPage(rows, r => new ConversationCursor(r.LastMessageAt, r.Id));
    }

    /// <summary>The conversation and one page of its messages, newest first; null when this tenant has no such conversation.</summary>
    public async Task<ConversationDetail?> GetAsync(
        string tenantId, string conversationId, PageRequest<MessageCursor> page, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        ConversationSummaryView summary;
        await using (var find = session.Command($"SELECT {SummaryColumns} FROM conversations c WHERE c.tenant_id = @tenant AND c.id = @id"))
        {
            find.Parameters.AddWithValue("tenant", tenantId);
            find.Parameters.AddWithValue("id", conversationId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return null;
            summary = ReadSummary(reader, clock.GetUtcNow());
        }

        await using var messages = session.Command("");
        messages.Parameters.AddWithValue("tenant", tenantId);
        messages.Parameters.AddWithValue("id", conversationId);
        messages.Parameters.AddWithValue("limit", page.Limit + 1);
        var before = "";
        if (page.After is { } after)
        {
            before = " AND (m.occurred_at, m.id) < (@beforeAt, @beforeId)";
            messages.Parameters.AddWithValue("beforeAt", after.OccurredAt);
            messages.Parameters.AddWithValue("beforeId", after.Id);
        }
        messages.CommandText = $"""
            SELECT {MessageColumns} FROM messages m {StatusJoin}
            WHERE m.tenant_id = @tenant AND m.conversation_id = @id{before}
            ORDER BY m.occurred_at DESC, m.id DESC LIMIT @limit
            """;
        var rows = new List<MessageView>();
        await using (var reader = await messages.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) rows.Add(ReadMessage(reader));
        }
        return new ConversationDetail(summary, page.ToPage(rows, m => new MessageCursor(m.OccurredAt, m.Id)));
    }

    /// <summary>One message of the conversation by its id (<c>messages.id</c>); null when this tenant has no such message there.</summary>
    public async Task<MessageView?> GetMessageAsync(string tenantId, string conversationId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var find = session.Command($"""
            SELECT {MessageColumns} FROM messages m {StatusJoin}
            WHERE m.tenant_id = @tenant AND m.conversation_id = @conversation AND m.id = @id
            """);
        find.Parameters.AddWithValue("tenant", tenantId);
        find.Parameters.AddWithValue("conversation", conversationId);
        find.Parameters.AddWithValue("id", messageId);
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMessage(reader) : null;
    }

    /// <summary>The tenant's messages matching <paramref name="text"/> (web-search syntax: words, "phrases", or, -not), best first.</summary>
    public async Task<CursorPage<MessageSearchHit>> SearchAsync(
        string tenantId, string text, PageRequest<SearchCursor> page, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var search = session.Command("");
        search.Parameters.AddWithValue("tenant", tenantId);
        search.Parameters.AddWithValue("q", text);
        search.Parameters.AddWithValue("limit", page.Limit + 1);
        var after = "";
        if (page.After is { } cursor)
        {
            after = "WHERE (rank, occurred_at, id) < (@afterRank, @afterAt, @afterId)";
            search.Parameters.Add(new NpgsqlParameter("afterRank", NpgsqlDbType.Real) { Value = cursor.Rank });
            search.Parameters.AddWithValue("afterAt", cursor.OccurredAt);
            search.Parameters.AddWithValue("afterId", cursor.Id);
        }
        // Ranks every match (the GIN index finds them), but builds the costly headline only for the page it returns.
        search.CommandText = $"""
            WITH q AS (SELECT websearch_to_tsquery('simple', @q) AS query),
            hits AS (
                SELECT m.id, m.occurred_at, ts_rank(m.search, q.query) AS rank
                FROM messages m CROSS JOIN q
                WHERE m.tenant_id = @tenant AND m.search @@ q.query),
            page AS (
                SELECT id, occurred_at, rank FROM hits {after}
                ORDER BY rank DESC, occurred_at DESC, id DESC LIMIT @limit)
            SELECT {MessageColumns}, m.conversation_id, p.rank,
                   ts_headline('simple', {EscapedBody}, q.query, 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15')
            FROM page p
            JOIN messages m ON m.tenant_id = @tenant AND m.id = p.id
            CROSS JOIN q
            {StatusJoin}
            ORDER BY p.rank DESC, p.occurred_at DESC, p.id DESC
            """;
        var rows = new List<MessageSearchHit>();
        await using (var reader = await search.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new MessageSearchHit(reader.GetString(12), ReadMessage(reader), reader.GetString(14), reader.GetFloat(13)));
            }
        }
        return page.ToPage(rows, h => new SearchCursor(h.Rank, h.Message.OccurredAt, h.Message.Id));
    }

    private static ConversationSummaryView ReadSummary(NpgsqlDataReader reader, DateTimeOffset now)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
        var lastInbound = Time(12);
        return new ConversationSummaryView(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            new ConversationContact(reader.GetString(3), Text(4)),
            Text(5),
            reader.GetString(6),
            Text(7),
            reader.GetFieldValue<string[]>(8),
            reader.GetInt32(9),
            Time(10),
            Text(11),
            lastInbound,
            ServiceWindow.At(lastInbound, now));
    }

    private static MessageView ReadMessage(NpgsqlDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        using var attachments = JsonDocument.Parse(reader.GetString(5));
        var status = Text(8) is { } s
            ? new MessageDelivery(s, reader.IsDBNull(9) ? null : reader.GetInt32(9), Text(10))
            : null;
        return new MessageView(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            Text(4),
            attachments.RootElement.Clone(),
            Text(6),
            reader.GetFieldValue<DateTimeOffset>(7),
            status,
            reader.IsDBNull(11) ? null : reader.GetBoolean(11));
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
