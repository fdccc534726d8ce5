namespace Flexoraa.FrontendApi.Accounts;

/// <summary>What presenting a refresh token led to.</summary>
public abstract record RefreshTokenRotation
{
    public sealed record Rotated(string UserId, string TenantId, string RefreshToken, DateTimeOffset ExpiresAt) : RefreshTokenRotation;

    /// <summary>An already rotated token came back: someone holds a copy, so the whole family was revoked.</summary>
    public sealed record Reused(string UserId, string TenantId, string FamilyId) : RefreshTokenRotation;

    /// <summary>Unknown, expired or revoked.</summary>
    public sealed record Invalid : RefreshTokenRotation;
}
