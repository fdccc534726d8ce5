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
        await using (var sweep = database.Shared.CreateCommand("DELETE FROM oauth_states WHERE expires_at < @cutoff"))
        {
            sweep.Parameters.AddWithValue("cutoff", now - TimeSpan.FromDays(1));
            await sweep.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = database.Shared.CreateCommand("""
            INSERT INTO oauth_states (state_hash, provider, nonce, code_verifier, return_url, expires_at)
            VALUES (@state, @provider, @nonce, @verifier, @returnUrl, @expires)
            """);
        insert.Parameters.AddWithValue("state", OpaqueTokens.Hash(state));
        insert.Parameters.AddWithValue("provider", provider);
        insert.Parameters.AddWithValue("nonce", pending.Nonce);
        insert.Parameters.AddWithValue("verifier", pending.CodeVerifier);
        insert.Parameters.AddWithValue("returnUrl", (object?)pending.ReturnUrl ?? DBNull.Value);
        insert.Parameters.AddWithValue("expires", now + lifetime);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the state used and returns what it remembered, or why it cannot be used.</summary>
    public async Task<(Pending? Pending, ClaimFailure Failure)> ClaimAsync(string provider, string state, CancellationToken cancellationToken = default)
    {
        var hash = OpaqueTokens.Hash(state);
        var now = clock.GetUtcNow();
        await using (var claim = database.Shared.CreateCommand("""
            UPDATE oauth_states SET used_at = @now
            WHERE state_hash = @state AND provider = @provider AND used_at IS NULL AND expires_at > @now
            RETURNING nonce, code_verifier, return_url
            """))
        {
            claim.Parameters.AddWithValue("now", now);
            claim.Parameters.AddWithValue("state", hash);
            claim.Parameters.AddWithValue("provider", provider);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return (new Pending(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)), default);
            }
        }

        await using var why = database.Shared.CreateCommand("SELECT used_at IS NOT NULL FROM oauth_states WHERE state_hash = @state AND provider = @provider");
        why.Parameters.AddWithValue("state", hash);
        why.Parameters.AddWithValue("provider", provider);
        return await why.ExecuteScalarAsync(cancellationToken) switch
        {
            true => (null, ClaimFailure.AlreadyUsed),
            false => (null, ClaimFailure.Expired),
            _ => (null, ClaimFailure.Unknown),
        };
    }
}
