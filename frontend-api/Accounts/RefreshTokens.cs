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
        var (id, family, tenant, user, expires, rotated, revoked) = found;

        await using var session = await database.BeginAsync(tenant, cancellationToken);
        if (rotated is not null && revoked is null) return await RevokeReusedFamilyAsync(session, user, family, ip, cancellationToken);
        if (revoked is not null || rotated is not null || expires <= clock.GetUtcNow()) return new RefreshTokenRotation.Invalid();

        // Marking it rotated only if nobody else did first makes two concurrent uses of one token count as reuse:
        // the loser waits for the winner's row lock, then finds the token rotated and ends the family.
        if (await session.ExecuteScalarAsync<string>("""
                UPDATE refresh_tokens SET rotated_at = @now WHERE tenant_id = @tenant AND id = @id AND rotated_at IS NULL AND revoked_at IS NULL
                RETURNING id
                """, new { now = clock.GetUtcNow(), id }, cancellationToken) is null)
        {
            return await IsRevokedAsync(session, id, cancellationToken)
                ? new RefreshTokenRotation.Invalid()
                : await RevokeReusedFamilyAsync(session, user, family, ip, cancellationToken);
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
        await using var session = await database.BeginAsync(found.TenantId, cancellationToken);
        await RevokeFamilyAsync(session, found.FamilyId, "logout", cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>Ends every session of a user in a tenant, e.g. when they are removed from it.</summary>
    public static Task RevokeUserAsync(TenantSession session, string userId, string reason, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync(
            "UPDATE refresh_tokens SET revoked_at = now(), revoke_reason = @reason WHERE tenant_id = @tenant AND user_id = @userId AND revoked_at IS NULL",
            new { reason, userId }, cancellationToken);

    private async Task<(string Token, DateTimeOffset ExpiresAt)> InsertAsync(TenantSession session, string userId, string familyId, string? ip, CancellationToken cancellationToken)
    {
        var token = OpaqueTokens.New("rt_");
        var expires = clock.GetUtcNow() + settings.RefreshTokenLifetime;
        await session.ExecuteAsync("""
            INSERT INTO refresh_tokens (id, family_id, tenant_id, user_id, token_hash, expires_at, created_ip)
            VALUES (@id, @familyId, @tenant, @userId, @hash, @expires, @ip)
            """, new { id = OpaqueTokens.NewId("rt_"), familyId, userId, hash = OpaqueTokens.Hash(token), expires, ip }, cancellationToken);
        return (token, expires);
    }

    private static async Task<RefreshTokenRotation> RevokeReusedFamilyAsync(TenantSession session, string user, string family, string? ip, CancellationToken cancellationToken)
    {
        await RevokeFamilyAsync(session, family, "reuse_detected", cancellationToken);
        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.RefreshTokenReused, user, null, "refresh_token_family", family, ip), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new RefreshTokenRotation.Reused(user, session.TenantId, family);
    }

    private static async Task<bool> IsRevokedAsync(TenantSession session, string id, CancellationToken cancellationToken) =>
        await session.ExecuteScalarAsync<bool?>("SELECT revoked_at IS NOT NULL FROM refresh_tokens WHERE tenant_id = @tenant AND id = @id", new { id }, cancellationToken)
            is true;

    private static async Task RevokeFamilyAsync(TenantSession session, string familyId, string reason, CancellationToken cancellationToken) =>
        await session.ExecuteAsync(
            "UPDATE refresh_tokens SET revoked_at = now(), revoke_reason = @reason WHERE tenant_id = @tenant AND family_id = @familyId AND revoked_at IS NULL",
            new { reason, familyId }, cancellationToken);

    /// <summary>Found by hash before the tenant is known, through the SECURITY DEFINER look-up.</summary>
    private Task<StoredToken?> FindAsync(string token, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultSharedAsync<StoredToken>(
            "SELECT id, family_id, tenant_id, user_id, expires_at, rotated_at, revoked_at FROM flexoraa_refresh_token_by_hash(@hash)",
            new { hash = OpaqueTokens.Hash(token) }, cancellationToken);

    private sealed record StoredToken(
        string Id, string FamilyId, string TenantId, string UserId, DateTimeOffset ExpiresAt, DateTimeOffset? RotatedAt, DateTimeOffset? RevokedAt);
}
