using Flexoraa.FrontendApi.Identity;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Accounts;

/// <summary>Pending sign-ups, waiting for their confirmation link. Only the link's hash is stored.</summary>
public sealed class SignupRequests(TenantDatabase database, AuthSettings settings, TimeProvider clock)
{
    public sealed record Pending(string Id, string Email, string DisplayName, string PasswordHash, string CompanyName);

    public async Task<string> CreateAsync(string email, string displayName, string passwordHash, string companyName, CancellationToken cancellationToken = default)
    {
        var token = OpaqueTokens.New("su_");
        await database.ExecuteSharedAsync("""
            INSERT INTO signup_requests (id, email, email_normalized, display_name, password_hash, tenant_name, token_hash, expires_at)
            VALUES (@id, @email, @normalized, @name, @passwordHash, @company, @token, @expires)
            """, new
            {
                id = OpaqueTokens.NewId("su_"), email = email.Trim(), normalized = UserAccounts.Normalize(email), name = displayName.Trim(), passwordHash,
                company = companyName.Trim(), token = OpaqueTokens.Hash(token), expires = clock.GetUtcNow() + settings.SignupLinkLifetime,
            }, cancellationToken);
        return token;
    }

    /// <summary>Claims a pending sign-up exactly once; null when the link is unknown, used or expired.</summary>
    public Task<Pending?> ClaimAsync(string token, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultSharedAsync<Pending>("""
            UPDATE signup_requests SET completed_at = now()
            WHERE token_hash = @token AND completed_at IS NULL AND expires_at > @now
            RETURNING id, email, display_name, password_hash, tenant_name AS company_name
            """, new { token = OpaqueTokens.Hash(token), now = clock.GetUtcNow() }, cancellationToken);
}
