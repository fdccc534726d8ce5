namespace Flexoraa.Audit;

/// <summary>One row of the tenant's audit log: who did what to which target, from where, with the details of the change.</summary>
public sealed record AuditLogEntry(
    string Action,
    string? ActorUserId,
    string? ActorApiKeyId,
    string? TargetType,
    string? TargetId,
    string? Ip,
    IReadOnlyDictionary<string, string?>? Details = null);
