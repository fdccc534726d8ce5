using Flexoraa.ReadModels;

namespace Flexoraa.Assignment;

/// <summary>
/// What <see cref="AutoAssignmentGrain"/> reads back from the <c>conversations</c> read model to rebuild its counts after
/// a restart. Read-only; the conversation grains own the rows. Both questions are answered in one tenant session, so
/// the assignees and the waiting set come from one snapshot of the table.
/// </summary>
public sealed class AssignmentReadModel(TenantDatabase database)
{
    public sealed record Snapshot(IReadOnlyList<(string ConversationId, string AssigneeUserId)> Assigned, IReadOnlySet<string> StillWaiting);

    /// <summary>
    /// The tenant's open or pending conversations that have an assignee, and which of <paramref name="queued"/> are
    /// still open or pending with none.
    /// </summary>
    public async Task<Snapshot> ReadAsync(string tenantId, IReadOnlyCollection<string> queued, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var assigned = await session.QueryAsync<AssignedRow>("""
            SELECT id, assignee_user_id FROM conversations
            WHERE tenant_id = @tenant AND status IN ('open', 'pending') AND assignee_user_id IS NOT NULL
            """, cancellationToken: cancellationToken);
        var waiting = queued.Count == 0 ? [] : await session.QueryAsync<string>("""
            SELECT id FROM conversations
            WHERE tenant_id = @tenant AND id = ANY(@ids) AND status IN ('open', 'pending') AND assignee_user_id IS NULL
            """, new { ids = queued.ToArray() }, cancellationToken);
        return new Snapshot([.. assigned.Select(a => (a.Id, a.AssigneeUserId))], waiting.ToHashSet(StringComparer.Ordinal));
    }

    private sealed record AssignedRow(string Id, string AssigneeUserId);
}
