namespace Flexoraa.FrontendApi.Audit;

/// <summary>One audited action: who did what to which target, from where.</summary>
public sealed record AuditEntry(
    string Action,
    string? ActorUserId,
    string? ActorApiKeyId,
    string? TargetType,
    string? TargetId,
    string? Ip,
    IReadOnlyDictionary<string, string?>? Details = null);
