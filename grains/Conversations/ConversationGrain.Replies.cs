using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Leads;
using Flexoraa.Outbound;
using Flexoraa.Realtime;
using Microsoft.Extensions.Logging;
using Npgsql;

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

        var now = StoredTime(clock.GetUtcNow());
        var placeholder = OutboundMessageIds.Placeholder();
        var row = ReplyRow(request, channel, account, contact, placeholder, now) with { SearchConfig = await stores.SearchLanguages.OfAsync(_tenantId) };
        var (messageId, sandbox, refusal, earlier) = await StoreReplyAsync(request, row, channel, account, now);
        // The connection is back in the pool before this turn calls another grain.
        if (earlier is not null) return await ReplayAsync(earlier, request);
        if (refusal is not null) return refusal;
        _recent.Add(placeholder);
        _messagesInWindow++;

        // The body as stored (a template's is null: its name is in the preview), so the hub's message equals the REST one.
        await PublishAsync(
            new MessageReceived(_tenantId, _conversationId, now, placeholder, channel, MessageDirection.Outbound, KindOf(request), contact, state.State.ContactName,
                row.Body, StoredId: messageId, AttachmentsJson: row.AttachmentsJson, ReplyToExternalId: row.ReplyToExternalId, Sandbox: sandbox),
            new ConversationUpdated(_tenantId, _conversationId, now, state.State.Contact(), Preview(request), now, _lastInboundAt + ServiceWindow, Status: null));
        await StartSendAsync(messageId);
        var engagements = new List<ConversationEngagement>(2);
        AddEngagements(engagements, inbound: false, placeholder, now, Preview(request), channel);
        await TellLeadAsync(engagements);
        return new ReplyResult(ReplyOutcome.Accepted, messageId);
    }

    /// <summary>
    /// Checks what the database must answer (the idempotency key, the message replied to, the sandbox) and commits the
    /// reply as queued, on a connection that is closed again when this returns: a refusal, or the earlier request a retry
    /// repeats, instead of a message id.
    /// </summary>
    private async Task<(long MessageId, bool Sandbox, ReplyResult? Refusal, IdempotentReply? Earlier)> StoreReplyAsync(
        OutboundReply request, MessageRow row, ChannelKind channel, string account, DateTimeOffset now)
    {
        try
        {
            await using var session = await stores.Conversations.BeginAsync(_tenantId);
            // A retry is answered with what the first request got, even if the window has closed since.
            if (request.IdempotencyKey is { } key && await OutboundMessageStore.FindByIdempotencyKeyAsync(session, key) is { } earlier) return (0, false, null, earlier);

            if (request.Kind == OutboundKind.Template && channel != ChannelKind.WhatsApp)
            {
                return (0, false, ReplyResult.Invalid("template", $"Templates are a WhatsApp feature; {ChannelKindNames.Of(channel)} takes text and media."), null);
            }
            if (request.ReplyToExternalId is { } target && !await MessageStore.IsInConversationAsync(session, _conversationId, target))
            {
                return (0, false, ReplyResult.Invalid("replyToMessageId", "'replyToMessageId' must be the id of a message in this conversation."), null);
            }
            if (CheckWindow(channel, request, now, out var tag) is { } closed) return (0, false, closed, null);

            var sandbox = await stores.Sandbox.AppliesAsync(session, account);
            var messageId = await MessageStore.InsertReplyAsync(session, row, request, tag, sandbox,
                Preview(request));
            await session.CommitAsync();
            return (messageId, sandbox, null, null);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == MessageStore.IdempotencyIndex && request.IdempotencyKey is { } raced)
        {
            // Another conversation took the key between the look-up and the insert (this turn serializes this one only).
            await using var again = await stores.Conversations.BeginAsync(_tenantId);
            if (await OutboundMessageStore.FindByIdempotencyKeyAsync(again, raced) is { } winner) return (0, false, null, winner);
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
        // The connection is back in the pool before the publish below calls the tenant's grain.
        if (await stores.Messages.TakeReplyOutcomeAsync(_tenantId, _conversationId, outcome) is not { } row) return;

        if (outcome.Sent)
        {
            _recent.Add(outcome.ExternalId!);
            await PublishAsync(new MessageStatusChanged(_tenantId, _conversationId, outcome.OccurredAt, outcome.ExternalId!, DeliveryStatus.Sent, null, null,
                row.ExternalId is { } known && known != outcome.ExternalId ? known : row.PlaceholderId, Attempts: outcome.Attempts));
        }
        else
        {
            await PublishAsync(new MessageStatusChanged(_tenantId, _conversationId, outcome.OccurredAt, row.PlaceholderId, DeliveryStatus.Failed,
                row.ErrorCode ?? outcome.ErrorCode, row.ErrorTitle ?? outcome.ErrorTitle, LastError: outcome.ErrorMessage, Attempts: outcome.Attempts));
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

    private async Task<ReplyResult> ReplayAsync(IdempotentReply earlier, OutboundReply request)
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
    /// outcome the conversation never took in, as activation found them. Starting a send grain that is already running,
    /// or one whose row says the send finished, is harmless: the grain picks up from its row.
    /// </summary>
    private async Task ResumeUnfinishedRepliesAsync(IReadOnlyList<long> messageIds)
    {
        foreach (var id in messageIds) await StartSendAsync(id);
    }

    /// <summary>The reply's <c>messages</c> row, under its placeholder id until Meta names it.</summary>
    private MessageRow ReplyRow(OutboundReply request, ChannelKind channel, string account, string contact, string placeholder, DateTimeOffset now)
    {
        var attachments = new JsonArray();
        if (request.Media is { } media)
        {
            attachments.Add(new JsonObject
            {
                ["kind"] = media.Kind, ["mimeType"] = media.MimeType, ["fileName"] = media.FileName, ["caption"] = request.Text,
                ["sizeBytes"] = media.SizeBytes, ["mediaObjectId"] = media.MediaObjectId,
            });
        }
        var raw = new JsonObject
        {
            ["authorUserId"] = request.Actor.UserId, ["authorApiKeyId"] = request.ApiKeyId,
            ["template"] = request.TemplateJson is null ? null : JsonNode.Parse(request.TemplateJson),
        };
        return new MessageRow(_tenantId, _conversationId, ChannelKindNames.Of(channel), account, contact, placeholder, "outbound",
            JsonNamingPolicy.CamelCase.ConvertName(KindOf(request).ToString()), request.Text, request.ReplyToExternalId, attachments.ToJsonString(),
            raw.ToJsonString(), now);
    }

    /// <summary>
    /// The time as PostgreSQL keeps it (microseconds), so the hub announces the same <c>occurredAt</c> that REST reads back
    /// from the row rather than one with an extra tenth of a microsecond.
    /// </summary>
    private static DateTimeOffset StoredTime(DateTimeOffset time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerMicrosecond, time.Offset);

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

    private static string Preview(OutboundReply request) => MessagePreview.Of(request.Text, KindOf(request), request.TemplateName);
}
