using System.Text.Json;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Audit;

/// <summary>Reads a tenant's audit log, newest first, inside that tenant's session, filtered by tenant (and row-level security).</summary>
public sealed class AuditLog(TenantDatabase database)
{
    public async Task<CursorPage<AuditLogItem>> QueryAsync(string tenantId, AuditFilter filter, PageRequest<AuditCursor> page, CancellationToken cancellationToken = default)
    {
        // Only the conditions a filter asks for go into the SQL (fixed fragments, never input); values are parameters.
        var where = new List<string> { "tenant_id = @tenant" };
        if (filter.Action is not null) where.Add("action = @Action");
        if (filter.ActorUserId is not null) where.Add("actor_user_id = @ActorUserId");
        if (filter.TargetType is not null) where.Add("target_type = @TargetType");
        if (filter.TargetId is not null) where.Add("target_id = @TargetId");
        if (filter.From is not null) where.Add("occurred_at >= @From");
        if (filter.To is not null) where.Add("occurred_at < @To");
        if (page.After is not null) where.Add("(occurred_at, id) < (@afterAt, @afterId)");

        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<AuditRow>($"""
            SELECT id, occurred_at, action, actor_user_id, actor_api_key_id, target_type, target_id, ip, details::text AS details
            FROM audit_log WHERE {string.Join(" AND ", where)}
            ORDER BY occurred_at DESC, id DESC LIMIT @limit
            """, new
            {
                filter.Action, filter.ActorUserId, filter.TargetType, filter.TargetId, filter.From, filter.To,
                afterAt = page.After?.OccurredAt, afterId = page.After?.Id, limit = page.Limit + 1,
            }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToItem()).ToList(), r => new AuditCursor(r.OccurredAt, r.Id));
    }

    private sealed record AuditRow(
        long Id, DateTimeOffset OccurredAt, string Action, string? ActorUserId, string? ActorApiKeyId, string? TargetType, string? TargetId,
        string? Ip, JsonElement Details)
    {
        public AuditLogItem ToItem() => new(Id, OccurredAt, Action, new AuditActor(ActorUserId, ActorApiKeyId), new AuditTarget(TargetType, TargetId), Ip, Details);
    }
}
