using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Accounts;

/// <summary>
/// Opaque refresh tokens, stored only as hashes and rotated on every use. Tokens descended from one sign-in form a family;
/// reusing a token that was already rotated means it leaked, so the family is revoked and the event audited.
/// </summary>
public sealed class RefreshTokens(TenantDatabase database, AuthSettings settings, TimeProvider clock)
{
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(string userId, string tenantId, string? ip, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var issued = await InsertAsync(session, userId, familyId: OpaqueTokens.NewId("rf_"), ip, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return issued;
    }

    public async Task<RefreshTokenRotation> RotateAsync(string token, string? ip, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(token, cancellationToken);
        if (found is null) return new RefreshTokenRotation.Invalid();
        var (id, family, tenant, user, expires, rotated, revoked) = found.Value;

        await using var session = await database.BeginAsync(tenant, cancellationToken);
        if (rotated is not null && revoked is null) return await RevokeReusedFamilyAsync(session, user, family, ip, cancellationToken);
        if (revoked is not null || rotated is not null || expires <= clock.GetUtcNow()) return new RefreshTokenRotation.Invalid();

        // Marking it rotated only if nobody else did first makes two concurrent uses of one token count as reuse:
        // the loser waits for the winner's row lock, then finds the token rotated and ends the family.
        await using (var mark = session.Command("""
            UPDATE refresh_tokens SET rotated_at = @now WHERE id = @id AND rotated_at IS NULL AND revoked_at IS NULL
            RETURNING id
            """))
        {
            mark.Parameters.AddWithValue("now", clock.GetUtcNow());
            mark.Parameters.AddWithValue("id", id);
            if (await mark.ExecuteScalarAsync(cancellationToken) is null)
            {
                return await IsRevokedAsync(session, id, cancellationToken)
                    ? new RefreshTokenRotation.Invalid()
                    : await RevokeReusedFamilyAsync(session, user, family, ip, cancellationToken);
            }
        }
        var (next, nextExpires) = await InsertAsync(session, user, family, ip, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new RefreshTokenRotation.Rotated(user, tenant, next, nextExpires);
    }

    /// <summary>Logout: the token's whole family stops working. Unknown tokens are ignored so logout is idempotent.</summary>
    public async Task RevokeAsync(string token, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(token, cancellationToken);
        if (found is null) return;
        await using var session = await database.BeginAsync(found.Value.Tenant, cancellationToken);
        await RevokeFamilyAsync(session, found.Value.Family, "logout", cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>Ends every session of a user in a tenant, e.g. when they are removed from it.</summary>
    public static async Task RevokeUserAsync(TenantSession session, string userId, string reason, CancellationToken cancellationToken = default)
    {
        await using var revoke = session.Command("UPDATE refresh_tokens SET revoked_at = now(), revoke_reason = @reason WHERE user_id = @user AND revoked_at IS NULL");
        revoke.Parameters.AddWithValue("reason", reason);
        revoke.Parameters.AddWithValue("user", userId);
        await revoke.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<(string Token, DateTimeOffset ExpiresAt)> InsertAsync(TenantSession session, string userId, string familyId, string? ip, CancellationToken cancellationToken)
    {
        var token = OpaqueTokens.New("rt_");
        var expires = clock.GetUtcNow() + settings.RefreshTokenLifetime;
        await using var insert = session.Command("""
            INSERT INTO refresh_tokens (id, family_id, tenant_id, user_id, token_hash, expires_at, created_ip)
            VALUES (@id, @family, @tenant, @user, @hash, @expires, @ip)
            """);
        insert.Parameters.AddWithValue("id", OpaqueTokens.NewId("rt_"));
        insert.Parameters.AddWithValue("family", familyId);
        insert.Parameters.AddWithValue("tenant", session.TenantId);
        insert.Parameters.AddWithValue("user", userId);
        insert.Parameters.AddWithValue("hash", OpaqueTokens.Hash(token));
        insert.Parameters.AddWithValue("expires", expires);
        insert.Parameters.AddWithValue("ip", (object?)ip ?? DBNull.Value);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return (token, expires);
    }

    private static async Task<RefreshTokenRotation> RevokeReusedFamilyAsync(TenantSession session, string user, string family, string? ip, CancellationToken cancellationToken)
    {
        await RevokeFamilyAsync(session, family, "reuse_detected", cancellationToken);
        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.RefreshTokenReused, user, null, "refresh_token_family", family, ip), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new RefreshTokenRotation.Reused(user, session.TenantId, family);
    }

    private static async Task<bool> IsRevokedAsync(TenantSession session, string id, CancellationToken cancellationToken)
    {
        await using var check = session.Command("SELECT revoked_at IS NOT NULL FROM refresh_tokens WHERE id = @id");
        check.Parameters.AddWithValue("id", id);
        return await check.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static async Task RevokeFamilyAsync(TenantSession session, string familyId, string reason, CancellationToken cancellationToken)
    {
        await using var revoke = session.Command("UPDATE refresh_tokens SET revoked_at = now(), revoke_reason = @reason WHERE family_id = @family AND revoked_at IS NULL");
        revoke.Parameters.AddWithValue("reason", reason);
        revoke.Parameters.AddWithValue("family", familyId);
        await revoke.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<(string Id, string Family, string Tenant, string User, DateTimeOffset Expires, DateTimeOffset? Rotated, DateTimeOffset? Revoked)?> FindAsync(
        string token, CancellationToken cancellationToken)
    {
        await using var lookup = database.Shared.CreateCommand(
            "SELECT id, family_id, tenant_id, user_id, expires_at, rotated_at, revoked_at FROM flexoraa_refresh_token_by_hash(@hash)");
        lookup.Parameters.AddWithValue("hash", OpaqueTokens.Hash(token));
        await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
    }
}
