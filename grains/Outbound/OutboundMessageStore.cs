using System.Text.Json.Nodes;
using Flexoraa.Channels;
using Flexoraa.Media;
using Flexoraa.ReadModels;

namespace Flexoraa.Outbound;

/// <summary>
/// The <c>outbound_messages</c> rows the outbound grain works through. Every change is conditional on the state it
/// expects, so an attempt is begun once (<see cref="BeginAttemptAsync"/> is the fence against sending twice) and a late
/// result never overwrites a final one. One fixed statement per transition: what a transition writes can be read in one place.
/// </summary>
public sealed class OutboundMessageStore(TenantDatabase database)
{
    private const string Columns =
        "tenant_id, message_id, conversation_id, channel, channel_account_id, contact_id, placeholder_id, kind, payload::text AS payload, messaging_tag, " +
        "sandbox, state, attempts, next_attempt_at, external_id, error_code, error_title, error_message, applied, created_at";

    public async Task<OutboundMessageRecord?> FindAsync(string tenantId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await FindAsync(session, messageId, forUpdate: false, cancellationToken);
    }

    public static async Task<OutboundMessageRecord?> FindAsync(TenantSession session, long messageId, bool forUpdate, CancellationToken cancellationToken = default) =>
        (await session.QuerySingleOrDefaultAsync<OutboundRow>(forUpdate
            ? $"SELECT {Columns} FROM outbound_messages WHERE tenant_id = @tenant AND message_id = @id FOR UPDATE"
            : $"SELECT {Columns} FROM outbound_messages WHERE tenant_id = @tenant AND message_id = @id",
            new { id = messageId }, cancellationToken))?.ToRecord();

    /// <summary>Moves a queued row to sending and counts the attempt; null when it was not queued (someone else has it, or it is done).</summary>
    public Task<OutboundMessageRecord?> BeginAttemptAsync(string tenantId, long messageId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        TransitionAsync(tenantId, $"""
            UPDATE outbound_messages SET state = 'sending', attempts = attempts + 1, attempt_started_at = @now, next_attempt_at = NULL, updated_at = @now
            WHERE tenant_id = @tenant AND message_id = @id AND state = 'queued'
            RETURNING {Columns}
            """, new { id = messageId, now }, cancellationToken);

    /// <summary>
    /// Records Meta's id the moment it answers, before anything else, so the id survives whatever happens next.
    /// <paramref name="sandboxed"/>: the sandbox took it after Meta refused the token (local mode), so it says sandbox.
    /// </summary>
    public Task MarkSentAsync(string tenantId, long messageId, string externalId, DateTimeOffset now, bool sandboxed = false, CancellationToken cancellationToken = default) =>
        TransitionAsync(tenantId, $"""
            UPDATE outbound_messages SET state = 'sent', external_id = @external, sandbox = sandbox OR @sandboxed, finished_at = @now, updated_at = @now
            WHERE tenant_id = @tenant AND message_id = @id AND state IN ('queued', 'sending')
            RETURNING {Columns}
            """, new { id = messageId, external = externalId, sandboxed, now }, cancellationToken);

    public Task MarkFailedAsync(string tenantId, long messageId, int? code, string? title, string? message, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        TransitionAsync(tenantId, $"""
            UPDATE outbound_messages SET state = 'failed', error_code = @code, error_title = @title, error_message = @message, finished_at = @now, updated_at = @now
            WHERE tenant_id = @tenant AND message_id = @id AND state IN ('queued', 'sending')
            RETURNING {Columns}
            """, new { id = messageId, code, title = MediaObjectStore.Truncate(title, 300), message, now }, cancellationToken);

    /// <summary>Back to queued after a refusal that heals by waiting, with why and when to try again.</summary>
    public Task ScheduleRetryAsync(string tenantId, long messageId, string error, DateTimeOffset nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        TransitionAsync(tenantId, $"""
            UPDATE outbound_messages SET state = 'queued', last_error = @error, next_attempt_at = @next, updated_at = @now
            WHERE tenant_id = @tenant AND message_id = @id AND state = 'sending'
            RETURNING {Columns}
            """, new { id = messageId, error = MediaObjectStore.Truncate(error, MediaObjectStore.MaxErrorLength), next = nextAttemptAt, now }, cancellationToken);

    /// <summary>The request an idempotency key was first used with, so that a retry is answered as the first one was.</summary>
    public static Task<IdempotentReply?> FindByIdempotencyKeyAsync(TenantSession session, string key, CancellationToken cancellationToken = default) =>
        session.QuerySingleOrDefaultAsync<IdempotentReply>("""
            SELECT message_id, request_hash, conversation_id, state FROM outbound_messages WHERE tenant_id = @tenant AND idempotency_key = @key
            """, new { key }, cancellationToken);

    private async Task<OutboundMessageRecord?> TransitionAsync(string tenantId, string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var row = await session.QuerySingleOrDefaultAsync<OutboundRow>(sql, parameters, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row?.ToRecord();
    }

    /// <summary>A row as selected by <see cref="Columns"/>; mapped by property, which is where Dapper applies the type handlers.</summary>
    private sealed class OutboundRow
    {
        public string TenantId { get; init; } = "";
        public long MessageId { get; init; }
        public string ConversationId { get; init; } = "";
        public string Channel { get; init; } = "";
        public string ChannelAccountId { get; init; } = "";
        public string ContactId { get; init; } = "";
        public string PlaceholderId { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Payload { get; init; } = "{}";
        public string? MessagingTag { get; init; }
        public bool Sandbox { get; init; }
        public string State { get; init; } = "";
        public int Attempts { get; init; }
        public DateTimeOffset? NextAttemptAt { get; init; }
        public string? ExternalId { get; init; }
        public int? ErrorCode { get; init; }
        public string? ErrorTitle { get; init; }
        public string? ErrorMessage { get; init; }
        public bool Applied { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public OutboundMessageRecord ToRecord()
        {
            if (!ChannelKindNames.TryParse(Channel, out var channel)) throw new InvalidOperationException($"outbound_messages row {MessageId} has an unknown channel '{Channel}'.");
            if (!OutboundKindNames.TryParse(Kind, out var kind)) throw new InvalidOperationException($"outbound_messages row {MessageId} has an unknown kind '{Kind}'.");
            return new(TenantId, MessageId, ConversationId, channel, ChannelAccountId, ContactId, PlaceholderId, kind.Value,
                JsonNode.Parse(Payload)!.AsObject(), MessagingTag, Sandbox, State, Attempts, NextAttemptAt, ExternalId, ErrorCode, ErrorTitle, ErrorMessage,
                Applied, CreatedAt);
        }
    }
}
