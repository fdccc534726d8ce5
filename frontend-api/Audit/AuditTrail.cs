using System.Text.Json;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Audit;

/// <summary>Appends to the tenant's audit log. Inside a caller's session the entry commits or rolls back with the change itself.</summary>
public sealed class AuditTrail(TenantDatabase database)
{
    public async Task RecordAsync(string tenantId, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await RecordAsync(session, entry, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public static async Task RecordAsync(TenantSession session, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var insert = session.Command("""
            INSERT INTO audit_log (tenant_id, action, actor_user_id, actor_api_key_id, target_type, target_id, ip, details)
            VALUES (@tenant, @action, @user, @key, @targetType, @targetId, @ip, @details::jsonb)
            """);
        insert.Parameters.AddWithValue("tenant", session.TenantId);
        insert.Parameters.AddWithValue("action", entry.Action);
        insert.Parameters.AddWithValue("user", (object?)entry.ActorUserId ?? DBNull.Value);
        insert.Parameters.AddWithValue("key", (object?)entry.ActorApiKeyId ?? DBNull.Value);
        insert.Parameters.AddWithValue("targetType", (object?)entry.TargetType ?? DBNull.Value);
        insert.Parameters.AddWithValue("targetId", (object?)entry.TargetId ?? DBNull.Value);
        insert.Parameters.AddWithValue("ip", (object?)entry.Ip ?? DBNull.Value);
        insert.Parameters.AddWithValue("details", JsonSerializer.Serialize(entry.Details ?? new Dictionary<string, string?>()));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
