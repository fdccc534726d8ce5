using System.Text.Json;
using Flexoraa.ReadModels;

namespace Flexoraa.Audit;

/// <summary>
/// The one definition of the <c>audit_log</c> insert, for the grains and the API alike. It always joins the caller's
/// session, so an entry commits or rolls back with the change it describes.
/// </summary>
public static class AuditLogWriter
{
    public static async Task AppendAsync(TenantSession session, IEnumerable<AuditLogEntry> entries, CancellationToken cancellationToken = default)
    {
        foreach (var entry in entries) await AppendAsync(session, entry, cancellationToken);
    }

    public static Task AppendAsync(TenantSession session, AuditLogEntry entry, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            INSERT INTO audit_log (tenant_id, action, actor_user_id, actor_api_key_id, target_type, target_id, ip, details)
            VALUES (@tenant, @Action, @ActorUserId, @ActorApiKeyId, @TargetType, @TargetId, @Ip, @details::jsonb)
            """, new
            {
                entry.Action, entry.ActorUserId, entry.ActorApiKeyId, entry.TargetType, entry.TargetId, entry.Ip,
                details = JsonSerializer.Serialize(entry.Details ?? new Dictionary<string, string?>()),
            }, cancellationToken);
}
