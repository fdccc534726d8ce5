using Flexoraa.Api;
using Flexoraa.ReadModels;

namespace Flexoraa.Leads.Bulk;

/// <summary>The <c>lead_bulk_actions</c> rows (a bulk action's state of record) and the leads each one names.</summary>
public sealed class LeadBulkActionStore(TenantDatabase database)
{
    private const string Columns = """
        id, created_by_user_id, api_key_id, own_work_of, action, parameters::text AS parameters, status, total, processed, changed, skipped,
        committed_through, cancel_requested, blob_key, error, created_at, started_at, finished_at
        """;

    public Task<TenantSession> BeginAsync(string tenantId, CancellationToken cancellationToken = default) => database.BeginAsync(tenantId, cancellationToken);

    /// <summary>The row, in the request's session: the leads are added to it by the same transaction.</summary>
    public static Task InsertAsync(TenantSession session, LeadBulkActionRecord action, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            INSERT INTO lead_bulk_actions (tenant_id, id, created_by_user_id, api_key_id, own_work_of, action, parameters, status, total, created_at)
            VALUES (@tenant, @Id, @CreatedByUserId, @ApiKeyId, @OwnWorkOf, @Action, @Parameters::jsonb, 'queued', 0, @CreatedAt)
            """, action, cancellationToken);

    public static Task<int> SetTotalAsync(TenantSession session, string actionId, CancellationToken cancellationToken = default) =>
        session.ExecuteScalarAsync<int>("""
            UPDATE lead_bulk_actions SET total = (SELECT count(*) FROM lead_bulk_action_items WHERE tenant_id = @tenant AND action_id = @id)
            WHERE tenant_id = @tenant AND id = @id RETURNING total
            """, new { id = actionId }, cancellationToken);

    public async Task<LeadBulkActionRecord?> FindAsync(string tenantId, string actionId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.QuerySingleOrDefaultAsync<LeadBulkActionRecord>($"SELECT {Columns} FROM lead_bulk_actions WHERE tenant_id = @tenant AND id = @id",
            new { id = actionId }, cancellationToken);
    }

    /// <summary>The tenant's bulk actions, newest first; only <paramref name="createdBy"/>'s when given (an SDR sees their own).</summary>
    public async Task<IReadOnlyList<LeadBulkActionRecord>> ListAsync(string tenantId, string? createdBy, int limit, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await session.QueryAsync<LeadBulkActionRecord>(
            $"SELECT {Columns} FROM lead_bulk_actions WHERE tenant_id = @tenant AND (@createdBy::varchar IS NULL OR created_by_user_id = @createdBy) ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { createdBy, limit }, cancellationToken);
    }

    /// <summary>The next batch of lead ids after <paramref name="afterSeq"/>, with the sequence number of the last one.</summary>
    public static async Task<(IReadOnlyList<string> LeadIds, int ThroughSeq)> NextItemsAsync(TenantSession session, string actionId, int afterSeq, int limit,
        CancellationToken cancellationToken = default)
    {
        var rows = await session.QueryAsync<(int Seq, string LeadId)>(
            "SELECT seq, lead_id FROM lead_bulk_action_items WHERE tenant_id = @tenant AND action_id = @id AND seq > @after ORDER BY seq LIMIT @limit",
            new { id = actionId, after = afterSeq, limit }, cancellationToken);
        return (rows.Select(r => r.LeadId).ToList(), rows.Count == 0 ? afterSeq : rows[^1].Seq);
    }

    /// <summary>Counts a batch in the batch's own transaction, so after a crash the counters are what was applied.</summary>
    public static Task AdvanceAsync(TenantSession session, string actionId, int throughSeq, int processed, int changed, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            UPDATE lead_bulk_actions SET committed_through = @through, processed = processed + @processed, changed = changed + @changed,
                skipped = skipped + (@processed - @changed)
            WHERE tenant_id = @tenant AND id = @id
            """, new { id = actionId, through = throughSeq, processed, changed }, cancellationToken);

    public async Task MarkRunningAsync(string tenantId, string actionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            UPDATE lead_bulk_actions SET status = 'running', started_at = coalesce(started_at, @now)
            WHERE tenant_id = @tenant AND id = @id AND status IN ('queued', 'running')
            """, new { id = actionId, now }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>An export starts over after a crash (its file is written whole): its counters go back to zero.</summary>
    public async Task RestartAsync(string tenantId, string actionId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("UPDATE lead_bulk_actions SET committed_through = 0, processed = 0, changed = 0, skipped = 0 WHERE tenant_id = @tenant AND id = @id",
            new { id = actionId }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task FinishAsync(string tenantId, string actionId, LeadBulkActionState state, string? error, string? blobKey, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("""
            UPDATE lead_bulk_actions SET status = @status, error = @error, blob_key = coalesce(@blobKey, blob_key), finished_at = @now
            WHERE tenant_id = @tenant AND id = @id AND status IN ('queued', 'running')
            """, new { id = actionId, status = ApiJson.NameOf(state), error, blobKey, now }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>False when the action has already ended.</summary>
    public async Task<bool> RequestCancelAsync(string tenantId, string actionId, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var changed = await session.ExecuteAsync(
            "UPDATE lead_bulk_actions SET cancel_requested = true WHERE tenant_id = @tenant AND id = @id AND status IN ('queued', 'running')",
            new { id = actionId }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed == 1;
    }
}
