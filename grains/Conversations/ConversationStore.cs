using System.Collections.Immutable;
using System.Text.Json;
using Flexoraa.ReadModels;

namespace Flexoraa.Conversations;

/// <summary>
/// The <c>conversations</c> row and what commits with it (audit entries, notes), inside a session the caller opens, so
/// that one change is one transaction however many statements it takes.
/// <para>
/// The row is the conversation's workflow state of record (status, snooze, assignee, tags). Orleans' grain storage runs
/// its own connection and transaction, so a grain state write and a read-model write can never commit together; keeping
/// the workflow in the row alone means a change and its audit entries are written by one <c>COMMIT</c>, and the grain
/// takes the new workflow into memory only after it. On activation the grain reads the workflow back from here.
/// </para>
/// </summary>
public static class ConversationStore
{
    /// <summary>
    /// The columns a change answers with: what its <c>ConversationUpdated</c> event carries besides the workflow. Mapped by
    /// property (Dapper's constructor mapping takes no type handlers, so it would not read <c>timestamptz</c> as
    /// <see cref="DateTimeOffset"/>).
    /// </summary>
    public sealed class ConversationActivity
    {
        public string? ContactName { get; init; }
        public string? LastMessagePreview { get; init; }
        public DateTimeOffset? LastMessageAt { get; init; }
        public DateTimeOffset? LastInboundAt { get; init; }
        public int UnreadCount { get; init; }
    }

    public static async Task<ConversationWorkflowState?> WorkflowAsync(TenantSession session, string conversationId, CancellationToken cancellationToken = default)
    {
        var row = await session.QuerySingleOrDefaultAsync<WorkflowRow>("""
            SELECT status, snooze_until, assignee_user_id, tags FROM conversations WHERE tenant_id = @tenant AND id = @id
            """, new { id = conversationId }, cancellationToken);
        return row?.ToState();
    }

    public static Task<int> UnreadCountAsync(TenantSession session, string conversationId, CancellationToken cancellationToken = default) =>
        session.ExecuteScalarAsync<int>("SELECT unread_count FROM conversations WHERE tenant_id = @tenant AND id = @id", new { id = conversationId }, cancellationToken);

    /// <summary>Writes the whole workflow (and clears the unread count when asked); null when the row does not exist.</summary>
    public static Task<ConversationActivity?> WriteWorkflowAsync(
        TenantSession session, string conversationId, ConversationWorkflowState workflow, bool markRead, CancellationToken cancellationToken = default) =>
        session.QuerySingleOrDefaultAsync<ConversationActivity>("""
            UPDATE conversations
            SET status = @status, snooze_until = @snoozeUntil, assignee_user_id = @assignee, tags = @tags,
                unread_count = CASE WHEN @markRead THEN 0 ELSE unread_count END, updated_at = now()
            WHERE tenant_id = @tenant AND id = @id
            RETURNING contact_name, last_message_preview, last_message_at, last_inbound_at, unread_count
            """, new
            {
                id = conversationId,
                status = ConversationStatuses.Name(workflow.Status),
                snoozeUntil = workflow.SnoozeUntil,
                assignee = workflow.AssigneeUserId,
                tags = workflow.Tags.ToArray(),
                markRead,
            }, cancellationToken);

    /// <summary>A customer writing again: open, no snooze. Ingest's message write has created the row already.</summary>
    public static Task ReopenAsync(TenantSession session, string conversationId, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            UPDATE conversations SET status = 'open', snooze_until = NULL, updated_at = now() WHERE tenant_id = @tenant AND id = @id
            """, new { id = conversationId }, cancellationToken);

    /// <summary>The note as a message with direction <c>note</c>, from the conversation's row; null when that row does not exist.</summary>
    public static Task<long?> InsertNoteAsync(TenantSession session, string conversationId, string externalId, string body,
        string? authorUserId, string? authorApiKeyId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        session.ExecuteScalarAsync<long?>("""
            INSERT INTO messages (tenant_id, conversation_id, channel, channel_account_id, contact_id, external_id, direction, kind, body, raw, occurred_at)
            SELECT c.tenant_id, c.id, c.channel, c.channel_account_id, c.contact_id, @external, 'note', 'note', @body, @raw, @at
            FROM conversations c WHERE c.tenant_id = @tenant AND c.id = @id
            RETURNING id
            """, new
            {
                id = conversationId,
                external = externalId,
                body,
                raw = JsonSerializer.SerializeToElement(new { authorUserId, authorApiKeyId }),
                at,
            }, cancellationToken);

    /// <summary>
    /// The conversation's audit entries, in the caller's transaction so they commit or roll back with the change.
    /// Writes the same rows as the API's <c>AuditTrail</c>; the grain cannot reach that type from here.
    /// </summary>
    public static async Task RecordAuditAsync(TenantSession session, string conversationId, ConversationActor actor, ConversationChangeOrigin origin,
        IEnumerable<ConversationAuditEntry> entries, CancellationToken cancellationToken = default)
    {
        foreach (var entry in entries)
        {
            await session.ExecuteAsync("""
                INSERT INTO audit_log (tenant_id, action, actor_user_id, actor_api_key_id, target_type, target_id, ip, details)
                VALUES (@tenant, @action, @user, @key, @targetType, @targetId, @ip, @details)
                """, new
                {
                    action = entry.Action,
                    user = actor.UserId,
                    key = origin.ApiKeyId,
                    targetType = ConversationAuditActions.TargetType,
                    targetId = conversationId,
                    ip = origin.Ip,
                    details = JsonSerializer.SerializeToElement(entry.Details),
                }, cancellationToken);
        }
    }

    private sealed class WorkflowRow
    {
        public string Status { get; init; } = "open";
        public DateTimeOffset? SnoozeUntil { get; init; }
        public string? AssigneeUserId { get; init; }
        public string[] Tags { get; init; } = [];

        public ConversationWorkflowState ToState() => new(
            ConversationStatuses.TryParse(Status, out var status) ? status : ConversationStatus.Open, SnoozeUntil, AssigneeUserId, [.. Tags]);
    }
}
