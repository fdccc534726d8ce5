namespace Flexoraa.FrontendApi.Team;

/// <summary>The body of <c>POST /api/v1/tenants/{tenantId}/ownership-transfer</c>: the member who becomes Owner.</summary>
public sealed record TransferOwnershipRequest(string? UserId);
