using Flexoraa.Audit;
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
public sealed class ConversationStore(TenantDatabase database)
{
    /// <summary>A transaction pinned to the tenant, for a change whose statements must commit together.</summary>
    public Task<TenantSession> BeginAsync(string tenantId, CancellationToken cancellationToken = default) => database.BeginAsync(tenantId, cancellationToken);

    /// <summary>
    /// Everything an activation needs, in one query: the row's workflow and service window (no row yet: null), the
    /// channel ids of the last 1,024 messages (oldest first) for dedup, media still waiting to be fetched and replies
    /// whose send was never started or whose outcome was never taken in, and the messages that reactions, edits or
    /// deletions wait for.
    /// </summary>
    public async Task<ConversationActivation> ActivationAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var row = await session.QuerySingleOrDefaultAsync<ActivationRow>("""
            SELECT c.id IS NOT NULL AS row_exists, c.status, c.snooze_until, c.assignee_user_id, c.tags, c.last_inbound_at,
                   ARRAY(SELECT r.external_id FROM (
                             SELECT external_id, occurred_at, id FROM messages WHERE tenant_id = @tenant AND conversation_id = @id
                             ORDER BY occurred_at DESC, id DESC LIMIT 1024) r
                         ORDER BY r.occurred_at, r.id) AS recent_external_ids,
                   ARRAY(SELECT m.id FROM media_objects m WHERE m.tenant_id = @tenant AND m.conversation_id = @id AND m.status = 'pending') AS pending_media,
                   ARRAY(SELECT o.message_id FROM outbound_messages o
                         WHERE o.tenant_id = @tenant AND o.conversation_id = @id AND (o.state IN ('queued', 'sending') OR NOT o.applied)
                         ORDER BY o.message_id) AS unfinished_replies,
                   ARRAY(SELECT DISTINCT p.target_external_id FROM pending_message_changes p
                         WHERE p.tenant_id = @tenant AND p.conversation_id = @id) AS pending_change_targets
            FROM (VALUES (1)) AS one (x) LEFT JOIN conversations c ON c.tenant_id = @tenant AND c.id = @id
            """, new { id = conversationId }, cancellationToken);
        return new ConversationActivation(
            row!.RowExists ? new WorkflowRow { Status = row.Status ?? "open", SnoozeUntil = row.SnoozeUntil, AssigneeUserId = row.AssigneeUserId, Tags = row.Tags ?? [] }.ToState() : null,
            row.LastInboundAt, row.RecentExternalIds ?? [], row.PendingMedia ?? [], row.UnfinishedReplies ?? [], row.PendingChangeTargets ?? []);
    }

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

    public async Task<ConversationWorkflowState?> WorkflowAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var row = await session.QuerySingleOrDefaultAsync<WorkflowRow>("""
            SELECT status, snooze_until, assignee_user_id, tags FROM conversations WHERE tenant_id = @tenant AND id = @id
            """, new { id = conversationId }, cancellationToken);
        return row?.ToState();
    }

    public async Task<int> UnreadCountAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.ExecuteScalarAsync<int>("SELECT unread_count FROM conversations WHERE tenant_id = @tenant AND id = @id", new { id = conversationId }, cancellationToken);
    }

    /// <summary>
    /// A profile look-up's outcome on the row: status and check time always, the name (when Meta gave one), username and
    /// picture only when found, so a refusal after an earlier success keeps what was found. False when the row does not exist.
    /// </summary>
    public async Task<bool> ApplyContactProfileAsync(string tenantId, string conversationId, Flexoraa.Contacts.ContactProfile profile, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var found = profile.Status == Flexoraa.Contacts.ContactProfileStatus.Found;
        var changed = await session.ExecuteAsync("""
            UPDATE conversations
            SET contact_name = CASE WHEN @found THEN COALESCE(@name, contact_name) ELSE contact_name END,
                contact_username = CASE WHEN @found THEN @username ELSE contact_username END,
                contact_avatar_url = CASE WHEN @found THEN @avatar ELSE contact_avatar_url END,
                contact_profile_status = @status, contact_profile_checked_at = @checkedAt, updated_at = now()
            WHERE tenant_id = @tenant AND id = @id
            """, new
            {
                id = conversationId, found, name = profile.Name, username = profile.Username, avatar = profile.AvatarUrl,
                status = Flexoraa.Contacts.ContactProfileStatuses.Name(profile.Status), checkedAt = profile.CheckedAt,
            }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <summary>
    /// A workflow change and its audit entries in one transaction: the whole workflow written (and the unread count
    /// cleared when asked). Null, with nothing written, when the row does not exist.
    /// </summary>
    public async Task<ConversationActivity?> CommitChangeAsync(string tenantId, string conversationId, ConversationWorkflowState workflow, bool markRead,
        ConversationActor actor, ConversationChangeOrigin? origin, IReadOnlyCollection<ConversationAuditEntry> audit, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        if (await WriteWorkflowAsync(session, conversationId, workflow, markRead, cancellationToken) is not { } activity) return null;
        if (audit.Count > 0) await RecordAuditAsync(session, conversationId, actor, origin!, audit, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return activity;
    }

    /// <summary>Writes the whole workflow (and clears the unread count when asked); null when the row does not exist.</summary>
    private static Task<ConversationActivity?> WriteWorkflowAsync(
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

    /// <summary>
    /// The conversation's audit entries, in the caller's transaction so they commit or roll back with the change, through
    /// the one <c>audit_log</c> insert (<see cref="AuditLogWriter"/>).
    /// </summary>
    public static Task RecordAuditAsync(TenantSession session, string conversationId, ConversationActor actor, ConversationChangeOrigin origin,
        IEnumerable<ConversationAuditEntry> entries, CancellationToken cancellationToken = default) =>
        AuditLogWriter.AppendAsync(session, entries.Select(entry => new AuditLogEntry(
            entry.Action, actor.UserId, origin.ApiKeyId, ConversationAuditActions.TargetType, conversationId, origin.Ip, entry.Details)), cancellationToken);

    private sealed class ActivationRow
    {
        public bool RowExists { get; init; }
        public string? Status { get; init; }
        public DateTimeOffset? SnoozeUntil { get; init; }
        public string? AssigneeUserId { get; init; }
        public string[]? Tags { get; init; }
        public DateTimeOffset? LastInboundAt { get; init; }
        public string[]? RecentExternalIds { get; init; }
        public string[]? PendingMedia { get; init; }
        public long[]? UnfinishedReplies { get; init; }
        public string[]? PendingChangeTargets { get; init; }
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
