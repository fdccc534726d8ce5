using Flexoraa.FrontendApi.Identity;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Accounts.Google;

/// <summary>
/// The <c>oauth_states</c> table: what a started sign-in must remember until its callback (nonce, PKCE verifier,
/// where to return). Kept in PostgreSQL so any frontend instance can finish it; each state is claimed exactly once.
/// </summary>
public sealed class OAuthStates(TenantDatabase database, TimeProvider clock)
{
    public sealed record Pending(string Nonce, string CodeVerifier, string? ReturnUrl);

    public enum ClaimFailure { Unknown, AlreadyUsed, Expired }

    public async Task CreateAsync(string provider, string state, Pending pending, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        // Abandoned sign-ins leave rows behind; starting a new one sweeps those long past use, keeping the table small.
        await database.ExecuteSharedAsync("DELETE FROM oauth_states WHERE expires_at < @cutoff", new { cutoff = now - TimeSpan.FromDays(1) }, cancellationToken);
        await database.ExecuteSharedAsync("""
            INSERT INTO oauth_states (state_hash, provider, nonce, code_verifier, return_url, expires_at)
            VALUES (@state, @provider, @Nonce, @CodeVerifier, @ReturnUrl, @expires)
            """, new { state = OpaqueTokens.Hash(state), provider, pending.Nonce, pending.CodeVerifier, pending.ReturnUrl, expires = now + lifetime },
            cancellationToken);
    }

    /// <summary>Marks the state used and returns what it remembered, or why it cannot be used.</summary>
    public async Task<(Pending? Pending, ClaimFailure Failure)> ClaimAsync(string provider, string state, CancellationToken cancellationToken = default)
    {
        var hash = OpaqueTokens.Hash(state);
        if (await database.QuerySingleOrDefaultSharedAsync<Pending>("""
                UPDATE oauth_states SET used_at = @now
                WHERE state_hash = @hash AND provider = @provider AND used_at IS NULL AND expires_at > @now
                RETURNING nonce, code_verifier, return_url
                """, new { now = clock.GetUtcNow(), hash, provider }, cancellationToken) is { } pending)
        {
            return (pending, default);
        }
        return await database.ExecuteScalarSharedAsync<bool?>(
                "SELECT used_at IS NOT NULL FROM oauth_states WHERE state_hash = @hash AND provider = @provider", new { hash, provider }, cancellationToken) switch
        {
            true => (null, ClaimFailure.AlreadyUsed),
            false => (null, ClaimFailure.Expired),
            null => (null, ClaimFailure.Unknown),
        };
    }
}
