namespace Flexoraa.FrontendApi.Team;

/// <summary>The body of <c>POST /api/v1/tenants/{tenantId}/invitations</c>.</summary>
public sealed record CreateInvitationRequest(string? Email, string? Role);
