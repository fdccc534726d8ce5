using System.Text;
using System.Text.Json;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Audit;

/// <summary>Reads a tenant's audit log, newest first, inside that tenant's session so row-level security applies.</summary>
public sealed class AuditLog(TenantDatabase database)
{
    public async Task<CursorPage<AuditLogItem>> QueryAsync(string tenantId, AuditFilter filter, PageRequest<AuditCursor> page, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var query = session.Command("");
        var where = new List<string>();
        void Add(string condition, string name, object value)
        {
            where.Add(condition);
            query.Parameters.AddWithValue(name, value);
        }
        if (filter.Action is { } action) Add("action = @action", "action", action);
        if (filter.ActorUserId is { } actor) Add("actor_user_id = @actor", "actor", actor);
        if (filter.TargetType is { } targetType) Add("target_type = @targetType", "targetType", targetType);
        if (filter.TargetId is { } targetId) Add("target_id = @targetId", "targetId", targetId);
        if (filter.From is { } from) Add("occurred_at >= @from", "from", from);
        if (filter.To is { } to) Add("occurred_at < @to", "to", to);
        if (page.After is { } after)
        {
            Add("(occurred_at, id) < (@afterAt, @afterId)", "afterAt", after.OccurredAt);
            query.Parameters.AddWithValue("afterId", after.Id);
        }
        query.Parameters.AddWithValue("limit", page.Limit + 1);

        var sql = new StringBuilder("SELECT id, occurred_at, action, actor_user_id, actor_api_key_id, target_type, target_id, ip, details::text FROM audit_log");
        if (where.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", where);
        sql.Append(" ORDER BY occurred_at DESC, id DESC LIMIT @limit");
        query.CommandText = sql.ToString();

        var rows = new List<AuditLogItem>();
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                using var details = JsonDocument.Parse(reader.GetString(8));
                rows.Add(new AuditLogItem(
                    reader.GetInt64(0),
                    reader.GetFieldValue<DateTimeOffset>(1),
                    reader.GetString(2),
                    new AuditActor(Text(3), Text(4)),
                    new AuditTarget(Text(5), Text(6)),
                    Text(7),
                    details.RootElement.Clone()));
            }
        }
        return page.ToPage(rows, r => new AuditCursor(r.OccurredAt, r.Id));
    }
}
