using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Api;
using Flexoraa.Channels;
using Flexoraa.Media;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>
/// Inserts a message unless its channel id is already stored, and only then moves its conversation's summary
/// (last activity, preview, unread count, service window) and registers its media in <c>media_objects</c> (in the same
/// statement, so a stored message always has its media tracked). Outcome: true when the message was new.
/// </summary>
public sealed class AppendMessageWrite(string tenantId, string conversationId, string channelAccountId, ChannelMessage message) : PendingWrite(tenantId)
{
    /// <summary>The message's attachments to fetch; each is named in the stored attachments as <c>mediaObjectId</c>.</summary>
    public IReadOnlyList<MediaSource> Media => _media ??= MediaSources.Of(TenantId, message);

    private IReadOnlyList<MediaSource>? _media;

    /// <summary>The conversation list's line for this message, as the row stores it and its <c>ConversationUpdated</c> announces it.</summary>
    public string Preview { get; } = MessagePreview.Of(message.Text, message.Kind);

    public override NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand(Media.Count == 0 ? Sql : SqlWithMedia);
        var inbound = message.Direction == MessageDirection.Inbound;
        var p = command.Parameters;
        new MessageRow(TenantId, conversationId, ChannelKindNames.Of(message.Channel), channelAccountId, message.ContactId, message.ExternalMessageId,
            inbound ? "inbound" : "echo", JsonNamingPolicy.CamelCase.ConvertName(message.Kind.ToString()), message.Text, message.Reply?.MessageId,
            StoredAttachments, message.RawJson, message.OccurredAt,
            // camelCase like the API, which reads it back as it is; the search column indexes its "summary".
            message.Content is null ? null : JsonSerializer.Serialize(message.Content, ApiJson.Options), SearchConfig).AddTo(p);
        p.AddWithValue("name", (object?)message.ContactName ?? DBNull.Value);
        p.Add(new NpgsqlParameter("userId", NpgsqlDbType.Varchar) { Value = (object?)message.ContactUserId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("username", NpgsqlDbType.Varchar) { Value = (object?)message.ContactUsername ?? DBNull.Value });
        p.AddWithValue("unread", inbound ? 1 : 0);
        p.AddWithValue("preview", Preview);
        p.Add(new NpgsqlParameter("inboundAt", NpgsqlDbType.TimestampTz) { Value = inbound ? message.OccurredAt : DBNull.Value });
        p.AddWithValue("reopen", Reopens);
        if (Media.Count > 0)
        {
            p.Add(new NpgsqlParameter("media", NpgsqlDbType.Jsonb)
            {
                Value = JsonSerializer.Serialize(Media.Select(m => new
                {
                    id = m.Id, kind = m.Kind, media_id = m.ExternalMediaId, url = m.SourceUrl, file_name = m.FileName, mime_type = m.MimeType, sha256 = m.Sha256,
                })),
            });
        }
        return command;
    }

    /// <summary>
    /// Set by the conversation when its committed workflow is resolved or snoozed and this is a customer's message: the
    /// row opens (and its snooze ends) in this message's own statement, only if the message is new, instead of in a
    /// transaction of its own after it.
    /// </summary>
    public bool Reopens { get; init; }

    /// <summary>The tenant's search language (from memory: <see cref="Tenants.TenantSearchLanguages"/>), which the row is indexed with.</summary>
    public string SearchConfig { get; init; } = Tenants.SearchLanguages.Simple;

    /// <summary>The message, then its conversation's summary only if it was new; the media part follows when it has attachments.</summary>
    private static readonly string Head = $"""
        WITH ins AS (
            INSERT INTO messages ({MessageRow.Columns}) VALUES ({MessageRow.Values})
            ON CONFLICT (tenant_id, channel, external_id) DO NOTHING
            RETURNING id, occurred_at
        ), conv AS (
            INSERT INTO conversations AS c (tenant_id, id, channel, channel_account_id, contact_id, contact_name, unread_count,
                                           last_message_at, last_message_preview, last_inbound_at, contact_user_id, contact_username)
            SELECT @m_tenant_id, @m_conversation_id, @m_channel, @m_channel_account_id, @m_contact_id, @name, @unread, ins.occurred_at, @preview, @inboundAt,
                   @userId, @username FROM ins
            ON CONFLICT (tenant_id, id) DO UPDATE SET
                contact_name = COALESCE(EXCLUDED.contact_name, c.contact_name),
                contact_user_id = COALESCE(EXCLUDED.contact_user_id, c.contact_user_id),
                contact_username = COALESCE(EXCLUDED.contact_username, c.contact_username),
                unread_count = c.unread_count + EXCLUDED.unread_count,
                last_message_preview = CASE WHEN c.last_message_at IS NULL OR EXCLUDED.last_message_at >= c.last_message_at
                                            THEN EXCLUDED.last_message_preview ELSE c.last_message_preview END,
                last_message_at = GREATEST(c.last_message_at, EXCLUDED.last_message_at),
                last_inbound_at = GREATEST(c.last_inbound_at, EXCLUDED.last_inbound_at),
                status = CASE WHEN @reopen THEN 'open' ELSE c.status END,
                snooze_until = CASE WHEN @reopen THEN NULL ELSE c.snooze_until END,
                updated_at = now()
            RETURNING unread_count
        )
        """;

    private static readonly string Sql = Head + "\n" + Result;

    /// <summary>One row: the new message's id and its conversation's unread count, both null when the message was a duplicate.</summary>
    private const string Result = "SELECT (SELECT id FROM ins), (SELECT unread_count FROM conv)";

    private static readonly string SqlWithMedia = Head + """

        , media AS (
            INSERT INTO media_objects (tenant_id, id, conversation_id, message_external_id, channel, channel_account_id, kind,
                                       external_media_id, source_url, file_name, mime_type, sha256_expected)
            SELECT @m_tenant_id, m.id, @m_conversation_id, @m_external_id, @m_channel, @m_channel_account_id, m.kind, m.media_id, m.url, m.file_name, m.mime_type, m.sha256
            FROM ins CROSS JOIN jsonb_to_recordset(@media) AS m(id text, kind text, media_id text, url text, file_name text, mime_type text, sha256 text)
            ON CONFLICT DO NOTHING
            RETURNING 1
        )
        """ + "\n" + Result;

    /// <summary>The attachments as the channel described them, plus the <c>mediaObjectId</c> that serves each fetched one.</summary>
    private string AttachmentsJson()
    {
        var attachments = new JsonArray();
        if (message.Attachments.IsDefaultOrEmpty) return attachments.ToJsonString();
        foreach (var attachment in message.Attachments)
        {
            var node = JsonSerializer.SerializeToNode(attachment, ApiJson.Options)!.AsObject();
            var source = message.Channel == ChannelKind.WhatsApp ? attachment.MediaId : attachment.Url;
            var fetched = source is null ? null : Media.FirstOrDefault(m => (m.ExternalMediaId ?? m.SourceUrl) == source);
            if (fetched is not null) node["mediaObjectId"] = fetched.Id;
            attachments.Add(node);
        }
        return attachments.ToJsonString();
    }

    public override async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        if (await reader.IsDBNullAsync(0, cancellationToken)) return false;
        StoredId = reader.GetInt64(0);
        UnreadCount = await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetInt32(1);
        return true;
    }

    /// <summary>The new row's <c>messages.id</c> (the API's message id) once the commit stored it; 0 for a duplicate.</summary>
    public long StoredId { get; private set; }

    /// <summary>The conversation's unread count right after this message, for its <c>ConversationUpdated</c>.</summary>
    public int? UnreadCount { get; private set; }

    /// <summary>The attachments as stored and as the API returns them, so the hub's message carries the same JSON.</summary>
    public string StoredAttachments => _attachments ??= AttachmentsJson();

    private string? _attachments;

    /// <summary>The message as the grain had it, raw payload included, so the dead letter can be replayed once the cause is fixed.</summary>
    public override string DeadLetterPayload() => JsonSerializer.Serialize(new
    {
        conversationId, channelAccountId, message.Channel, message.AccountId, message.ContactId, message.ExternalMessageId,
        message.Kind, message.Direction, message.OccurredAt, message.ContactName, message.Text, raw = message.RawJson,
    }, JsonSerializerOptions.Web);
}
