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

    public static Task RecordAsync(TenantSession session, AuditEntry entry, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            INSERT INTO audit_log (tenant_id, action, actor_user_id, actor_api_key_id, target_type, target_id, ip, details)
            VALUES (@tenant, @Action, @ActorUserId, @ActorApiKeyId, @TargetType, @TargetId, @Ip, @details::jsonb)
            """, new
            {
                entry.Action, entry.ActorUserId, entry.ActorApiKeyId, entry.TargetType, entry.TargetId, entry.Ip,
                details = JsonSerializer.Serialize(entry.Details ?? new Dictionary<string, string?>()),
            }, cancellationToken);
}
