namespace Flexoraa.FrontendApi.Audit;

/// <summary>What the action was done to, such as <c>("tenant", "tn_…")</c> or <c>("api_key", "ak_…")</c>.</summary>
public sealed record AuditTarget(string? Type, string? Id);
