using Flexoraa.Audit;
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
        AuditLogWriter.AppendAsync(session, new AuditLogEntry(
            entry.Action, entry.ActorUserId, entry.ActorApiKeyId, entry.TargetType, entry.TargetId, entry.Ip, entry.Details), cancellationToken);
}
