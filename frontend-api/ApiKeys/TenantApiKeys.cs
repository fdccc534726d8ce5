using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.ApiKeys;

/// <summary>
/// A tenant's API keys in <c>api_keys</c>, always inside the caller's tenant session; every query filters by tenant, and
/// row-level security keeps other tenants' keys out as well. The key itself is returned once at creation and only its SHA-256 is stored;
/// <see cref="ApiKeyAuthenticationHandler"/> finds keys by that hash.
/// </summary>
public sealed class TenantApiKeys(TenantDatabase database, TimeProvider clock)
{
    public const string KeyPrefix = ApiKeyAuthenticationHandler.ApiKeyPrefix;

    /// <summary>Characters of the key kept for display: <c>fxk_</c> and 8 random ones, too few to help guess the rest.</summary>
    public const int DisplayPrefixLength = 12;

    private const string Columns = "id, name, role, prefix, created_at, created_by, last_used_at, revoked_at";

    public async Task<CreatedApiKey> CreateAsync(Caller caller, string name, TenantRole role, string? ip, CancellationToken cancellationToken = default)
    {
        var key = OpaqueTokens.New(KeyPrefix);
        var id = OpaqueTokens.NewId("ak_");
        var prefix = key[..DisplayPrefixLength];
        var roleName = RoleName(role);
        var now = clock.GetUtcNow();

        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        var owner = caller.UserId ?? await OwnerOfAsync(session, caller.ApiKeyId!, cancellationToken);
        // Read back what PostgreSQL stored (microseconds), so this answer matches later listings exactly.
        now = await session.ExecuteScalarAsync<DateTimeOffset>("""
            INSERT INTO api_keys (id, tenant_id, name, role, prefix, key_hash, created_by, owner_user_id, created_at)
            VALUES (@id, @tenant, @name, @roleName, @prefix, @hash, @createdBy, @owner, @now)
            RETURNING created_at
            """, new { id, name, roleName, prefix, hash = OpaqueTokens.Hash(key), createdBy = caller.ActorId, owner, now }, cancellationToken);
        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.ApiKeyCreated, caller.UserId, caller.ApiKeyId, "api_key", id, ip,
            new Dictionary<string, string?> { ["name"] = name, ["role"] = roleName, ["prefix"] = prefix }), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new CreatedApiKey(id, name, roleName, prefix, now, caller.ActorId, key);
    }

    public async Task<CursorPage<ApiKeyView>> ListAsync(string tenantId, PageRequest<ApiKeyCursor> page, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        var rows = await session.QueryAsync<ApiKeyView>($"""
            SELECT {Columns} FROM api_keys
            WHERE tenant_id = @tenant {(page.After is null ? "" : "AND (created_at, id) < (@afterAt, @afterId)")}
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """, new { afterAt = page.After?.CreatedAt, afterId = page.After?.Id, limit = page.Limit + 1 }, cancellationToken);
        return page.ToPage(rows, k => new ApiKeyCursor(k.CreatedAt, k.Id));
    }

    public async Task<ApiKeyView?> FindAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await FindAsync(session, id, forUpdate: false, cancellationToken);
    }

    /// <summary>Revokes a key; it stops authenticating on the next request. Revoking twice is harmless and audited once.</summary>
    public async Task<ApiKeyRevocation> RevokeAsync(Caller caller, string id, string? ip, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(caller.TenantId, cancellationToken);
        var key = await FindAsync(session, id, forUpdate: true, cancellationToken);
        if (key is null) return ApiKeyRevocation.NotFound;
        if (ParseRole(key.Role) > caller.Role) return ApiKeyRevocation.OutranksCaller;
        if (key.RevokedAt is not null) return ApiKeyRevocation.AlreadyRevoked;

        await session.ExecuteAsync("UPDATE api_keys SET revoked_at = @now WHERE tenant_id = @tenant AND id = @id", new { now = clock.GetUtcNow(), id }, cancellationToken);
        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.ApiKeyRevoked, caller.UserId, caller.ApiKeyId, "api_key", id, ip,
            new Dictionary<string, string?> { ["name"] = key.Name, ["role"] = key.Role, ["prefix"] = key.Prefix }), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return ApiKeyRevocation.Revoked;
    }

    /// <summary>
    /// Revokes every key that acts on <paramref name="userId"/>'s authority (theirs, and keys their keys made), inside the
    /// caller's session, with one audit entry per key. Their keys would be refused anyway once they are not a member;
    /// this makes it visible and keeps it so if they are invited back.
    /// </summary>
    public static async Task<int> RevokeOwnedByAsync(TenantSession session, string userId, Caller caller, string? ip, string reason, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var revoked = await session.QueryAsync<RevokedKey>("""
            UPDATE api_keys SET revoked_at = @now WHERE tenant_id = @tenant AND owner_user_id = @userId AND revoked_at IS NULL
            RETURNING id, name, role, prefix
            """, new { now, userId }, cancellationToken);
        foreach (var key in revoked)
        {
            await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.ApiKeyRevoked, caller.UserId, caller.ApiKeyId, "api_key", key.Id, ip,
                new Dictionary<string, string?> { ["name"] = key.Name, ["role"] = key.Role, ["prefix"] = key.Prefix, ["ownerUserId"] = userId, ["reason"] = reason }),
                cancellationToken);
        }
        return revoked.Count;
    }

    /// <summary>A key as authentication sees it, found by hash before the tenant is known (the SECURITY DEFINER look-up).</summary>
    public sealed record Credential(
        string Id, string TenantId, string Role, string Name, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, string? OwnerUserId);

    public Task<Credential?> FindByKeyHashAsync(byte[] keyHash, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultSharedAsync<Credential>(
            "SELECT id, tenant_id, role, name, revoked_at, last_used_at, owner_user_id FROM flexoraa_api_key_with_owner_by_hash(@keyHash)",
            new { keyHash }, cancellationToken);

    public async Task RecordUseAsync(string tenantId, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("UPDATE api_keys SET last_used_at = @now WHERE tenant_id = @tenant AND id = @id", new { now, id }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public static string RoleName(TenantRole role) => TenantRoleNames.Of(role);

    private static TenantRole ParseRole(string role) =>
        TenantRoleNames.TryParse(role, out var parsed) ? parsed.Value : throw new InvalidOperationException($"api_keys has an unknown role '{role}'.");

    private static Task<string?> OwnerOfAsync(TenantSession session, string apiKeyId, CancellationToken cancellationToken) =>
        session.ExecuteScalarAsync<string>("SELECT owner_user_id FROM api_keys WHERE tenant_id = @tenant AND id = @apiKeyId", new { apiKeyId }, cancellationToken);

    /// <summary>Rows map straight to <see cref="ApiKeyView"/>, whose parameters are <see cref="Columns"/> in order.</summary>
    private static Task<ApiKeyView?> FindAsync(TenantSession session, string id, bool forUpdate, CancellationToken cancellationToken) =>
        session.QuerySingleOrDefaultAsync<ApiKeyView>(
            $"SELECT {Columns} FROM api_keys WHERE tenant_id = @tenant AND id = @id{(forUpdate ? " FOR UPDATE" : "")}", new { id }, cancellationToken);

    private sealed record RevokedKey(string Id, string Name, string Role, string Prefix);
}
