using System.Text.Json;

namespace Flexoraa.FrontendApi.Audit;

/// <summary>One row of <c>GET /api/v1/audit</c>.</summary>
public sealed record AuditLogItem(
    long Id,
    DateTimeOffset OccurredAt,
    string Action,
    AuditActor Actor,
    AuditTarget Target,
    string? Ip,
    JsonElement Details);
