using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Outbound;
using Flexoraa.ReadModels;
using Flexoraa.Realtime;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Flexoraa.Conversations;

/// <summary>
/// Replies from agents and API clients. Everything that must not race is decided here, in the conversation's
/// single-threaded turn: the SDR rule, the idempotency key (backed by a unique index for keys reused across
/// conversations), and Meta's messaging windows, which this grain knows from the customer's last inbound message. The
/// message is committed as queued before anything is sent; the send itself is the <see cref="IOutboundMessageGrain"/>'s,
/// which reports back through <see cref="RecordOutboundOutcome"/>.
/// </summary>
public sealed partial class ConversationGrain
{
    private const string IdempotencyIndex = "ux_outbound_messages_idempotency";

    public async Task<ReplyResult> Reply(OutboundReply request)
    {
        if (state.State.Channel is not { } channel || state.State.ChannelAccountId is not { } account || state.State.ContactId is not { } contact)
        {
            return ReplyResult.NotFound;
        }
        if (await RefuseAsync(request.Actor) is { } refused)
        {
            return refused.Outcome == ConversationChangeOutcome.NotFound ? ReplyResult.NotFound : new ReplyResult(ReplyOutcome.Forbidden, Error: refused.Error);
        }

        var now = clock.GetUtcNow();
        var placeholder = OutboundMessageIds.Placeholder();
        var (messageId, refusal, earlier) = await StoreReplyAsync(request, channel, account, contact, placeholder, now);
        // The connection is back in the pool before this turn calls another grain.
        if (earlier is not null) return await ReplayAsync(earlier, request);
        if (refusal is not null) return refusal;
        _recent.Add(placeholder);
        _messagesInWindow++;

        var text = request.Text ?? (request.Kind == OutboundKind.Template ? $"[template {request.TemplateName}]" : null);
        await PublishAsync(
            new MessageReceived(_tenantId, _conversationId, now, placeholder, channel, MessageDirection.Outbound, KindOf(request), contact, state.State.ContactName, text),
            new ConversationUpdated(_tenantId, _conversationId, now, state.State.ContactName, Preview(request), now, _lastInboundAt + ServiceWindow, Status: null));
        await StartSendAsync(messageId);
        return new ReplyResult(ReplyOutcome.Accepted, messageId);
    }

    /// <summary>
    /// Checks what the database must answer (the idempotency key, the message replied to, the sandbox) and commits the
    /// reply as queued, on a connection that is closed again when this returns: a refusal, or the earlier request a retry
    /// repeats, instead of a message id.
    /// </summary>
    private async Task<(long MessageId, ReplyResult? Refusal, IdempotentRequest? Earlier)> StoreReplyAsync(
        OutboundReply request, ChannelKind channel, string account, string contact, string placeholder, DateTimeOffset now)
    {
        try
        {
            await using var session = await database.BeginAsync(_tenantId);
            // A retry is answered with what the first request got, even if the window has closed since.
            if (request.IdempotencyKey is { } key && await FindByIdempotencyKeyAsync(session, key) is { } earlier) return (0, null, earlier);

            if (request.Kind == OutboundKind.Template && channel != ChannelKind.WhatsApp)
            {
                return (0, ReplyResult.Invalid("template", $"Templates are a WhatsApp feature; {ChannelKindNames.Of(channel)} takes text and media."), null);
            }
            if (request.ReplyToExternalId is { } target && !await IsMessageHereAsync(session, target))
            {
                return (0, ReplyResult.Invalid("replyToMessageId", "'replyToMessageId' must be the id of a message in this conversation."), null);
            }
            if (CheckWindow(channel, request, now, out var tag) is { } closed) return (0, closed, null);

            var sandbox = await replySandbox.AppliesAsync(session, account);
            var messageId = await InsertReplyAsync(session, request, channel, account, contact, placeholder, tag, sandbox, now);
            await session.CommitAsync();
            return (messageId, null, null);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == IdempotencyIndex && request.IdempotencyKey is { } raced)
        {
            // Another conversation took the key between the look-up and the insert (this turn serializes this one only).
            await using var again = await database.BeginAsync(_tenantId);
            if (await FindByIdempotencyKeyAsync(again, raced) is { } winner) return (0, null, winner);
            throw;
        }
    }

    public Task RecordOutboundOutcome(OutboundOutcome outcome) => ApplyOutboundAsync(outcome);

    /// <summary>
    /// Takes a send's outcome into the read model: the message gets Meta's id (an echo of it that got here first is
    /// dropped, so there is one row), or the failure is kept with its code and title; then the tenant's users are told.
    /// </summary>
    private async Task ApplyOutboundAsync(OutboundOutcome outcome)
    {
        OutboundMessageRecord row;
        // Scoped so that the connection is back in the pool before the publish below calls the tenant's grain.
        await using (var session = await database.BeginAsync(_tenantId))
        {
            if (await OutboundMessageStore.FindAsync(session, outcome.MessageId, forUpdate: true) is not { } found || found.ConversationId != _conversationId) return;
            row = found;
            // Taken in already; only news that a reply given up as interrupted did reach the customer (its echo) still counts.
            if (row.Applied && (!outcome.Sent || row.State == OutboundMessageRecord.SentState)) return;

            var channelName = ChannelKindNames.Of(row.Channel);
            if (outcome.Sent)
            {
                await using var command = session.Command("""
                    DELETE FROM messages WHERE tenant_id = @tenant AND channel = @channel AND external_id = @external AND direction = 'echo';
                    UPDATE messages SET external_id = @external WHERE tenant_id = @tenant AND id = @id;
                    UPDATE media_objects SET message_external_id = @external WHERE tenant_id = @tenant AND channel = @channel AND message_external_id = @placeholder;
                    UPDATE outbound_messages SET state = 'sent', external_id = @external, error_code = NULL, error_title = NULL, error_message = NULL,
                           applied = true, finished_at = COALESCE(finished_at, @now), updated_at = @now
                    WHERE tenant_id = @tenant AND message_id = @id;
                    """);
                command.Parameters.AddWithValue("tenant", _tenantId);
                command.Parameters.AddWithValue("channel", channelName);
                command.Parameters.AddWithValue("external", outcome.ExternalId!);
                command.Parameters.AddWithValue("placeholder", row.PlaceholderId);
                command.Parameters.AddWithValue("id", row.MessageId);
                command.Parameters.AddWithValue("now", outcome.OccurredAt);
                await command.ExecuteNonQueryAsync();
            }
            else
            {
                await using var command = session.Command("""
                    UPDATE outbound_messages SET state = 'failed', error_code = COALESCE(error_code, @code), error_title = COALESCE(error_title, @title),
                           error_message = COALESCE(error_message, @message), applied = true, finished_at = COALESCE(finished_at, @now), updated_at = @now
                    WHERE tenant_id = @tenant AND message_id = @id AND state <> 'sent'
                    """);
                command.Parameters.AddWithValue("tenant", _tenantId);
                command.Parameters.AddWithValue("id", row.MessageId);
                command.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Integer) { Value = (object?)outcome.ErrorCode ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter("title", NpgsqlDbType.Varchar) { Value = (object?)outcome.ErrorTitle ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter("message", NpgsqlDbType.Text) { Value = (object?)outcome.ErrorMessage ?? DBNull.Value });
                command.Parameters.AddWithValue("now", outcome.OccurredAt);
                await command.ExecuteNonQueryAsync();
            }
            await session.CommitAsync();
        }

        if (outcome.Sent)
        {
            _recent.Add(outcome.ExternalId!);
            await PublishAsync(new MessageStatusChanged(_tenantId, _conversationId, outcome.OccurredAt, outcome.ExternalId!, DeliveryStatus.Sent, null, null,
                row.ExternalId is { } known && known != outcome.ExternalId ? known : row.PlaceholderId));
        }
        else
        {
            await PublishAsync(new MessageStatusChanged(_tenantId, _conversationId, outcome.OccurredAt, row.PlaceholderId, DeliveryStatus.Failed,
                row.ErrorCode ?? outcome.ErrorCode, row.ErrorTitle ?? outcome.ErrorTitle));
        }
    }

    /// <summary>
    /// Messenger / Instagram echo our own sends back with the metadata we gave them. If the send's answer has not been
    /// taken in yet (the echo won the race), the echo's mid is its id: record it, and store no second row. True when the
    /// echo was one of ours.
    /// </summary>
    private async Task<bool> TakeOwnEchoAsync(ChannelMessage message)
    {
        if (message.Direction != MessageDirection.Echo || OwnMessageIdOf(message.RawJson) is not { } messageId) return false;
        await ApplyOutboundAsync(new OutboundOutcome(messageId, message.ExternalMessageId, null, null, null, message.OccurredAt));
        _recent.Add(message.ExternalMessageId);
        return true;
    }

    private static long? OwnMessageIdOf(string rawJson)
    {
        try
        {
            var raw = JsonNode.Parse(rawJson);
            var metadata = (raw?["message"]?["metadata"] ?? raw?["metadata"]) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            return metadata is not null && metadata.StartsWith(MessengerSender.MetadataPrefix, StringComparison.Ordinal)
                   && long.TryParse(metadata.AsSpan(MessengerSender.MetadataPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? id
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ReplyResult? CheckWindow(ChannelKind channel, OutboundReply request, DateTimeOffset now, out string? tag)
    {
        var decision = ReplyWindow.Check(channel, request.Kind == OutboundKind.Template, request.IsHuman, _lastInboundAt, now);
        tag = decision.Tag;
        return decision.Open ? null : new ReplyResult(ReplyOutcome.WindowClosed, Error: decision.Error, WindowClosedAt: decision.ClosedAt);
    }

    private async Task<ReplyResult> ReplayAsync(IdempotentRequest earlier, OutboundReply request)
    {
        if (earlier.RequestHash != request.RequestHash || earlier.ConversationId != _conversationId)
        {
            return new ReplyResult(ReplyOutcome.IdempotencyKeyReused, Field: "Idempotency-Key",
                Error: "This Idempotency-Key was already used with a different request; use a new key for a new message.");
        }
        // Harmless if it runs already; restarts a send whose start was lost with the first request.
        if (earlier.State is OutboundMessageRecord.Queued or OutboundMessageRecord.Sending) await StartSendAsync(earlier.MessageId);
        return new ReplyResult(ReplyOutcome.Replayed, earlier.MessageId);
    }

    private async Task StartSendAsync(long messageId)
    {
        try
        {
            await GrainFactory.GetGrain<IOutboundMessageGrain>(OutboundMessageIds.GrainKey(_tenantId, messageId)).Start();
        }
        catch (Exception e)
        {
            // The message is stored as queued. Try again shortly from here; if this activation dies first, the next one
            // finds the reply unfinished and starts it (ResumeUnfinishedRepliesAsync), as does a retry with the same key.
            logger.LogError(e, "Could not start sending reply {MessageId} of conversation {Key}; retrying shortly", messageId, this.GetPrimaryKeyString());
            this.RegisterGrainTimer(RetryStartAsync, messageId, new GrainTimerCreationOptions(StartRetryDelay, Timeout.InfiniteTimeSpan));
        }
    }

    private static readonly TimeSpan StartRetryDelay = TimeSpan.FromSeconds(5);

    private async Task RetryStartAsync(long messageId, CancellationToken cancellationToken) => await StartSendAsync(messageId);

    /// <summary>
    /// Replies whose send was never started (the start call failed and its retry died with the activation) or whose
    /// outcome the conversation never took in. Starting a send grain that is already running, or one whose row says the
    /// send finished, is harmless: the grain picks up from its row.
    /// </summary>
    private async Task<IReadOnlyList<long>> UnfinishedRepliesAsync(TenantSession session, CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            SELECT message_id FROM outbound_messages
            WHERE tenant_id = @tenant AND conversation_id = @conversation AND (state IN ('queued', 'sending') OR NOT applied)
            ORDER BY message_id
            """);
        command.Parameters.AddWithValue("tenant", _tenantId);
        command.Parameters.AddWithValue("conversation", _conversationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<long>();
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private async Task ResumeUnfinishedRepliesAsync(IReadOnlyList<long> messageIds)
    {
        foreach (var id in messageIds) await StartSendAsync(id);
    }

    private sealed record IdempotentRequest(long MessageId, string RequestHash, string ConversationId, string State);

    private static async Task<IdempotentRequest?> FindByIdempotencyKeyAsync(TenantSession session, string key)
    {
        await using var command = session.Command("""
            SELECT message_id, request_hash, conversation_id, state FROM outbound_messages WHERE tenant_id = @tenant AND idempotency_key = @key
            """);
        command.Parameters.AddWithValue("tenant", session.TenantId);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new IdempotentRequest(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)) : null;
    }

    private async Task<bool> IsMessageHereAsync(TenantSession session, string externalId)
    {
        await using var command = session.Command("""
            SELECT 1 FROM messages WHERE tenant_id = @tenant AND conversation_id = @conversation AND external_id = @external AND direction <> 'note'
            """);
        command.Parameters.AddWithValue("tenant", _tenantId);
        command.Parameters.AddWithValue("conversation", _conversationId);
        command.Parameters.AddWithValue("external", externalId);
        return await command.ExecuteScalarAsync() is not null;
    }

    private async Task<long> InsertReplyAsync(TenantSession session, OutboundReply request, ChannelKind channel, string account, string contact,
        string placeholder, string? tag, bool sandbox, DateTimeOffset now)
    {
        var channelName = ChannelKindNames.Of(channel);
        var attachments = new JsonArray();
        if (request.Media is { } media)
        {
            await using var mediaRow = session.Command("""
                INSERT INTO media_objects (tenant_id, id, conversation_id, message_external_id, channel, channel_account_id, kind, source_url, file_name,
                                           mime_type, size_bytes, sha256_actual, status, blob_key, stored_at)
                VALUES (@tenant, @id, @conversation, @external, @channel, @account, @kind, @source, @fileName, @mime, @size, @sha, 'stored', @blob, @now)
                ON CONFLICT DO NOTHING
                """);
            var p = mediaRow.Parameters;
            p.AddWithValue("tenant", _tenantId);
            p.AddWithValue("id", media.MediaObjectId);
            p.AddWithValue("conversation", _conversationId);
            p.AddWithValue("external", placeholder);
            p.AddWithValue("channel", channelName);
            p.AddWithValue("account", account);
            p.AddWithValue("kind", media.Kind);
            p.AddWithValue("source", "upload:" + media.Sha256Hex);
            p.Add(new NpgsqlParameter("fileName", NpgsqlDbType.Varchar) { Value = (object?)media.FileName ?? DBNull.Value });
            p.AddWithValue("mime", media.MimeType);
            p.AddWithValue("size", media.SizeBytes);
            p.AddWithValue("sha", media.Sha256Hex);
            p.AddWithValue("blob", media.BlobKey);
            p.AddWithValue("now", now);
            await mediaRow.ExecuteNonQueryAsync();
            attachments.Add(new JsonObject
            {
                ["kind"] = media.Kind, ["mimeType"] = media.MimeType, ["fileName"] = media.FileName, ["caption"] = request.Text,
                ["sizeBytes"] = media.SizeBytes, ["mediaObjectId"] = media.MediaObjectId,
            });
        }

        await using var insert = session.Command("""
            WITH msg AS (
                INSERT INTO messages (tenant_id, conversation_id, channel, channel_account_id, contact_id, external_id, direction, kind,
                                      body, reply_to_external_id, attachments, raw, occurred_at)
                VALUES (@tenant, @conversation, @channel, @account, @contact, @placeholder, 'outbound', @kind,
                        @body, @replyTo, @attachments, @raw, @now)
                RETURNING id
            ), outbound AS (
                INSERT INTO outbound_messages (tenant_id, message_id, conversation_id, channel, channel_account_id, contact_id, placeholder_id, kind,
                                               payload, messaging_tag, sandbox, idempotency_key, request_hash, author_user_id, author_api_key_id,
                                               created_at, updated_at)
                SELECT @tenant, msg.id, @conversation, @channel, @account, @contact, @placeholder, @outboundKind,
                       @payload, @tag, @sandbox, @key, @hash, @user, @apiKey, @now, @now
                FROM msg
                RETURNING message_id
            ), conv AS (
                UPDATE conversations SET
                    last_message_preview = CASE WHEN last_message_at IS NULL OR @now >= last_message_at THEN @preview ELSE last_message_preview END,
                    last_message_at = GREATEST(last_message_at, @now), updated_at = now()
                WHERE tenant_id = @tenant AND id = @conversation
                RETURNING 1
            )
            SELECT message_id FROM outbound
            """);
        var q = insert.Parameters;
        q.AddWithValue("tenant", _tenantId);
        q.AddWithValue("conversation", _conversationId);
        q.AddWithValue("channel", channelName);
        q.AddWithValue("account", account);
        q.AddWithValue("contact", contact);
        q.AddWithValue("placeholder", placeholder);
        q.AddWithValue("kind", JsonNamingPolicy.CamelCase.ConvertName(KindOf(request).ToString()));
        q.Add(new NpgsqlParameter("body", NpgsqlDbType.Text) { Value = (object?)request.Text ?? DBNull.Value });
        q.Add(new NpgsqlParameter("replyTo", NpgsqlDbType.Varchar) { Value = (object?)request.ReplyToExternalId ?? DBNull.Value });
        q.Add(new NpgsqlParameter("attachments", NpgsqlDbType.Jsonb) { Value = attachments.ToJsonString() });
        var raw = new JsonObject
        {
            ["authorUserId"] = request.Actor.UserId, ["authorApiKeyId"] = request.ApiKeyId,
            ["template"] = request.TemplateJson is null ? null : JsonNode.Parse(request.TemplateJson),
        };
        q.Add(new NpgsqlParameter("raw", NpgsqlDbType.Jsonb) { Value = raw.ToJsonString() });
        q.AddWithValue("now", now);
        q.AddWithValue("outboundKind", request.Kind.ToString().ToLowerInvariant());
        q.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = OutboundPayload.Of(request).ToJsonString() });
        q.Add(new NpgsqlParameter("tag", NpgsqlDbType.Varchar) { Value = (object?)tag ?? DBNull.Value });
        q.AddWithValue("sandbox", sandbox);
        q.Add(new NpgsqlParameter("key", NpgsqlDbType.Varchar) { Value = (object?)request.IdempotencyKey ?? DBNull.Value });
        q.AddWithValue("hash", request.RequestHash);
        q.Add(new NpgsqlParameter("user", NpgsqlDbType.Varchar) { Value = (object?)request.Actor.UserId ?? DBNull.Value });
        q.Add(new NpgsqlParameter("apiKey", NpgsqlDbType.Varchar) { Value = (object?)request.ApiKeyId ?? DBNull.Value });
        q.AddWithValue("preview", Preview(request));
        return (long)(await insert.ExecuteScalarAsync())!;
    }

    private static MessageKind KindOf(OutboundReply request) => request.Kind switch
    {
        OutboundKind.Template => MessageKind.Template,
        OutboundKind.Media => request.Media?.Kind switch
        {
            "image" => MessageKind.Image,
            "video" => MessageKind.Video,
            "audio" => MessageKind.Audio,
            _ => MessageKind.Document,
        },
        _ => MessageKind.Text,
    };

    private static string Preview(OutboundReply request)
    {
        var text = request.Text is { Length: > 0 } t ? t
            : request.Kind == OutboundKind.Template ? $"[template {request.TemplateName}]"
            : $"[{KindOf(request).ToString().ToLowerInvariant()}]";
        return text.Length <= 160 ? text : text[..159] + "…";
    }
}
