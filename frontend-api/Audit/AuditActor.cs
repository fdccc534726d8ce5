namespace Flexoraa.FrontendApi.Audit;

/// <summary>Who acted: a user, an API key, or neither for actions the system took by itself.</summary>
public sealed record AuditActor(string? UserId, string? ApiKeyId);
