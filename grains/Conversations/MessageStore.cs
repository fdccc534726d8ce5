using Flexoraa.Outbound;
using Flexoraa.ReadModels;

namespace Flexoraa.Conversations;

/// <summary>
/// The <c>messages</c> rows the conversation writes outside the group commit: replies (with their
/// <c>outbound_messages</c> row and uploaded media), notes, and a reply's outcome. Each runs inside a session the caller
/// opens, so a reply's rows, or a note and its audit entry, commit together. Inbound messages are written by
/// <see cref="AppendMessageWrite"/>; all of them insert through <see cref="MessageRow"/>.
/// </summary>
public sealed class MessageStore(TenantDatabase database)
{
    /// <summary>The unique index that keeps an idempotency key to one reply across conversations.</summary>
    public const string IdempotencyIndex = "ux_outbound_messages_idempotency";

    private static readonly string InsertNoteSql = $"""
        INSERT INTO messages ({MessageRow.Columns})
        SELECT {MessageRow.Values} WHERE EXISTS (SELECT 1 FROM conversations WHERE tenant_id = @tenant AND id = @m_conversation_id)
        RETURNING id
        """;

    private static readonly string InsertReplySql = $"""
        WITH msg AS (
            INSERT INTO messages ({MessageRow.Columns}) VALUES ({MessageRow.Values})
            RETURNING id
        ), outbound AS (
            INSERT INTO outbound_messages (tenant_id, message_id, conversation_id, channel, channel_account_id, contact_id, placeholder_id, kind,
                                           payload, messaging_tag, sandbox, idempotency_key, request_hash, author_user_id, author_api_key_id,
                                           created_at, updated_at)
            SELECT @tenant, msg.id, @m_conversation_id, @m_channel, @m_channel_account_id, @m_contact_id, @m_external_id, @outboundKind,
                   @payload::jsonb, @tag, @sandbox, @key, @hash, @user, @apiKey, @m_occurred_at, @m_occurred_at
            FROM msg
            RETURNING message_id
        ), conv AS (
            UPDATE conversations SET
                last_message_preview = CASE WHEN last_message_at IS NULL OR @m_occurred_at >= last_message_at THEN @preview ELSE last_message_preview END,
                last_message_at = GREATEST(last_message_at, @m_occurred_at), updated_at = now()
            WHERE tenant_id = @tenant AND id = @m_conversation_id
            RETURNING 1
        )
        SELECT message_id FROM outbound
        """;

    /// <summary>
    /// A note and its audit entry, committed together, only while its conversation's row exists: the message's id, or
    /// null with nothing written. The entry is made from the id, so it is asked for once the id is known.
    /// </summary>
    public async Task<long?> AddNoteAsync(MessageRow note, ConversationActor actor, ConversationChangeOrigin origin, Func<long, ConversationAuditEntry> audit,
        CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(note.TenantId, cancellationToken);
        if (await session.ExecuteScalarAsync<long?>(InsertNoteSql, note.Parameters(), cancellationToken) is not { } id) return null;
        await ConversationStore.RecordAuditAsync(session, note.ConversationId, actor, origin, [audit(id)], cancellationToken);
        await session.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Takes a send's outcome into the reply's rows, once, in one transaction; answers the reply's row as it was before,
    /// or null when there is nothing to take in (not this conversation's, or taken in already).
    /// </summary>
    public async Task<OutboundMessageRecord?> TakeReplyOutcomeAsync(string tenantId, string conversationId, OutboundOutcome outcome, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        if (await OutboundMessageStore.FindAsync(session, outcome.MessageId, forUpdate: true, cancellationToken) is not { } row || row.ConversationId != conversationId) return null;
        // Taken in already; only news that a reply given up as interrupted did reach the customer (its echo) still counts.
        if (row.Applied && (!outcome.Sent || row.State == OutboundMessageRecord.SentState)) return null;
        if (outcome.Sent) await TakeSentReplyAsync(session, row, outcome.ExternalId!, outcome.OccurredAt, cancellationToken);
        else await TakeFailedReplyAsync(session, row.MessageId, outcome.ErrorCode, outcome.ErrorTitle, outcome.ErrorMessage, outcome.OccurredAt, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>Whether a customer-visible message (not a note) with this channel id is in the conversation.</summary>
    public static async Task<bool> IsInConversationAsync(TenantSession session, string conversationId, string externalId, CancellationToken cancellationToken = default) =>
        await session.ExecuteScalarAsync<int?>("""
            SELECT 1 FROM messages WHERE tenant_id = @tenant AND conversation_id = @conversation AND external_id = @external AND direction <> 'note'
            """, new { conversation = conversationId, external = externalId }, cancellationToken) is not null;

    /// <summary>
    /// A reply as queued: its uploaded media, its message (under its placeholder id), its <c>outbound_messages</c> row
    /// and the conversation's preview. Answers the message id, which is also the send's id.
    /// </summary>
    public static async Task<long> InsertReplyAsync(TenantSession session, MessageRow message, OutboundReply request, string? messagingTag, bool sandbox, string preview,
        CancellationToken cancellationToken = default)
    {
        if (request.Media is { } media)
        {
            await session.ExecuteAsync("""
                INSERT INTO media_objects (tenant_id, id, conversation_id, message_external_id, channel, channel_account_id, kind, source_url, file_name,
                                           mime_type, size_bytes, sha256_actual, status, blob_key, stored_at)
                VALUES (@tenant, @id, @conversation, @external, @channel, @account, @kind, @source, @fileName, @mime, @size, @sha, 'stored', @blob, @now)
                ON CONFLICT DO NOTHING
                """, new
                {
                    id = media.MediaObjectId, conversation = message.ConversationId, external = message.ExternalId, channel = message.Channel,
                    account = message.ChannelAccountId, kind = media.Kind, source = "upload:" + media.Sha256Hex, fileName = media.FileName,
                    mime = media.MimeType, size = media.SizeBytes, sha = media.Sha256Hex, blob = media.BlobKey, now = message.OccurredAt,
                }, cancellationToken);
        }
        var parameters = message.Parameters();
        parameters.AddDynamicParams(new
        {
            outboundKind = OutboundKindNames.Of(request.Kind),
            payload = OutboundPayload.Of(request).ToJsonString(),
            tag = messagingTag,
            sandbox,
            key = request.IdempotencyKey,
            hash = request.RequestHash,
            user = request.Actor.UserId,
            apiKey = request.ApiKeyId,
            preview,
        });
        return await session.ExecuteScalarAsync<long>(InsertReplySql, parameters, cancellationToken);
    }

    /// <summary>
    /// The send reached Meta: the message takes Meta's id (an echo of it that got here first is dropped, so there is one
    /// row), and so does its media; the outbound row is sent and taken in.
    /// </summary>
    private static Task<int> TakeSentReplyAsync(TenantSession session, OutboundMessageRecord row, string externalId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            DELETE FROM messages WHERE tenant_id = @tenant AND channel = @channel AND external_id = @external AND direction = 'echo';
            UPDATE messages SET external_id = @external WHERE tenant_id = @tenant AND id = @id;
            UPDATE media_objects SET message_external_id = @external WHERE tenant_id = @tenant AND channel = @channel AND message_external_id = @placeholder;
            UPDATE outbound_messages SET state = 'sent', external_id = @external, error_code = NULL, error_title = NULL, error_message = NULL,
                   applied = true, finished_at = COALESCE(finished_at, @now), updated_at = @now
            WHERE tenant_id = @tenant AND message_id = @id;
            """, new { channel = Flexoraa.Channels.ChannelKindNames.Of(row.Channel), external = externalId, placeholder = row.PlaceholderId, id = row.MessageId, now = at },
            cancellationToken);

    /// <summary>The send failed for good: the first failure recorded stays, and a reply already sent is left alone.</summary>
    private static Task<int> TakeFailedReplyAsync(TenantSession session, long messageId, int? code, string? title, string? message, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            UPDATE outbound_messages SET state = 'failed', error_code = COALESCE(error_code, @code), error_title = COALESCE(error_title, @title),
                   error_message = COALESCE(error_message, @message), applied = true, finished_at = COALESCE(finished_at, @now), updated_at = @now
            WHERE tenant_id = @tenant AND message_id = @id AND state <> 'sent'
            """, new { id = messageId, code, title, message, now = at }, cancellationToken);
}
