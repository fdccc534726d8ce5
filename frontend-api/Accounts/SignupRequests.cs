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
        await using var insert = database.Shared.CreateCommand("""
            INSERT INTO signup_requests (id, email, email_normalized, display_name, password_hash, tenant_name, token_hash, expires_at)
            VALUES (@id, @email, @normalized, @name, @hash, @company, @token, @expires)
            """);
        insert.Parameters.AddWithValue("id", OpaqueTokens.NewId("su_"));
        insert.Parameters.AddWithValue("email", email.Trim());
        insert.Parameters.AddWithValue("normalized", UserAccounts.Normalize(email));
        insert.Parameters.AddWithValue("name", displayName.Trim());
        insert.Parameters.AddWithValue("hash", passwordHash);
        insert.Parameters.AddWithValue("company", companyName.Trim());
        insert.Parameters.AddWithValue("token", OpaqueTokens.Hash(token));
        insert.Parameters.AddWithValue("expires", clock.GetUtcNow() + settings.SignupLinkLifetime);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return token;
    }

    /// <summary>Claims a pending sign-up exactly once; null when the link is unknown, used or expired.</summary>
    public async Task<Pending?> ClaimAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var claim = database.Shared.CreateCommand("""
            UPDATE signup_requests SET completed_at = now()
            WHERE token_hash = @token AND completed_at IS NULL AND expires_at > @now
            RETURNING id, email, display_name, password_hash, tenant_name
            """);
        claim.Parameters.AddWithValue("token", OpaqueTokens.Hash(token));
        claim.Parameters.AddWithValue("now", clock.GetUtcNow());
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new Pending(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
    }
}
