namespace Flexoraa.FrontendApi.Accounts;

public sealed record SignupRequest(string? Email, string? Password, string? DisplayName, string? CompanyName);

public sealed record ConfirmSignupRequest(string? Token);

public sealed record LoginRequest(string? Email, string? Password, string? TenantId = null);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record SwitchTenantRequest(string? TenantId);

/// <summary>What a successful sign-in returns. The access token goes in <c>Authorization: Bearer</c>.</summary>
public sealed record TokenResponse(
    string AccessToken,
    DateTimeOffset AccessTokenExpiresAt,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    string TenantId,
    string Role,
    string UserId);

public sealed record MeResponse(
    string UserId,
    string Email,
    string DisplayName,
    string TenantId,
    string Role,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<MembershipView> Tenants);

public sealed record MembershipView(string TenantId, string TenantName, string Role);
