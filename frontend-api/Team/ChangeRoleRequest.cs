namespace Flexoraa.FrontendApi.Team;

/// <summary>The body of <c>PATCH /api/v1/tenants/{tenantId}/members/{userId}</c>.</summary>
public sealed record ChangeRoleRequest(string? Role);
