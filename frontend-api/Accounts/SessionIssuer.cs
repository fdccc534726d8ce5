using Flexoraa.FrontendApi.Identity;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Accounts;

/// <summary>Starts a session for a user in one tenant: an access token plus the first refresh token of a new family.</summary>
public sealed class SessionIssuer(AccessTokenIssuer accessTokens, RefreshTokens refreshTokens)
{
    public async Task<TokenResponse> StartAsync(UserRecord user, string tenantId, TenantRole role, string? ip, CancellationToken cancellationToken = default)
    {
        var access = accessTokens.Issue(user.Id, user.Email, user.DisplayName, tenantId, role);
        var (refresh, refreshExpires) = await refreshTokens.IssueAsync(user.Id, tenantId, ip, cancellationToken);
        return new TokenResponse(access.Token, access.ExpiresAt, refresh, refreshExpires, tenantId, TenantRoleNames.Of(role), user.Id);
    }

    public TokenResponse Continue(UserRecord user, string tenantId, TenantRole role, string refreshToken, DateTimeOffset refreshExpires)
    {
        var access = accessTokens.Issue(user.Id, user.Email, user.DisplayName, tenantId, role);
        return new TokenResponse(access.Token, access.ExpiresAt, refreshToken, refreshExpires, tenantId, TenantRoleNames.Of(role), user.Id);
    }
}
