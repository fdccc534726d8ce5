using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Npgsql;

namespace Flexoraa.FrontendApi.ApiKeys;

/// <summary>
/// A tenant's API keys in <c>api_keys</c>, always inside the caller's tenant session, so row-level security keeps other
/// tenants' keys out of every query. The key itself is returned once at creation and only its SHA-256 is stored;
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
        await using (var insert = session.Command("""
            INSERT INTO api_keys (id, tenant_id, name, role, prefix, key_hash, created_by, owner_user_id, created_at)
            VALUES (@id, @tenant, @name, @role, @prefix, @hash, @createdBy, @owner, @now)
            RETURNING created_at
            """))
        {
            insert.Parameters.Add(new NpgsqlParameter("owner", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)owner ?? DBNull.Value });
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("tenant", caller.TenantId);
            insert.Parameters.AddWithValue("name", name);
            insert.Parameters.AddWithValue("role", roleName);
            insert.Parameters.AddWithValue("prefix", prefix);
            insert.Parameters.AddWithValue("hash", OpaqueTokens.Hash(key));
            insert.Parameters.AddWithValue("createdBy", caller.ActorId);
            insert.Parameters.AddWithValue("now", now);
            // Read back what PostgreSQL stored (microseconds), so this answer matches later listings exactly.
            await using var stored = await insert.ExecuteReaderAsync(cancellationToken);
            await stored.ReadAsync(cancellationToken);
            now = stored.GetFieldValue<DateTimeOffset>(0);
        }
        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.ApiKeyCreated, caller.UserId, caller.ApiKeyId, "api_key", id, ip,
            new Dictionary<string, string?> { ["name"] = name, ["role"] = roleName, ["prefix"] = prefix }), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new CreatedApiKey(id, name, roleName, prefix, now, caller.ActorId, key);
    }

    public async Task<CursorPage<ApiKeyView>> ListAsync(string tenantId, PageRequest<ApiKeyCursor> page, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var query = session.Command(page.After is null
            ? $"SELECT {Columns} FROM api_keys ORDER BY created_at DESC, id DESC LIMIT @limit"
            : $"SELECT {Columns} FROM api_keys WHERE (created_at, id) < (@afterAt, @afterId) ORDER BY created_at DESC, id DESC LIMIT @limit");
        query.Parameters.AddWithValue("limit", page.Limit + 1);
        if (page.After is { } after)
        {
            query.Parameters.AddWithValue("afterAt", after.CreatedAt);
            query.Parameters.AddWithValue("afterId", after.Id);
        }
        var rows = new List<ApiKeyView>();
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) rows.Add(Read(reader));
        }
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

        await using (var revoke = session.Command("UPDATE api_keys SET revoked_at = @now WHERE id = @id"))
        {
            revoke.Parameters.AddWithValue("now", clock.GetUtcNow());
            revoke.Parameters.AddWithValue("id", id);
            await revoke.ExecuteNonQueryAsync(cancellationToken);
        }
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
        var revoked = new List<(string Id, string Name, string Role, string Prefix)>();
        await using (var revoke = session.Command("""
            UPDATE api_keys SET revoked_at = @now WHERE owner_user_id = @user AND revoked_at IS NULL
            RETURNING id, name, role, prefix
            """))
        {
            revoke.Parameters.AddWithValue("now", now);
            revoke.Parameters.AddWithValue("user", userId);
            await using var reader = await revoke.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) revoked.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        foreach (var key in revoked)
        {
            await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.ApiKeyRevoked, caller.UserId, caller.ApiKeyId, "api_key", key.Id, ip,
                new Dictionary<string, string?> { ["name"] = key.Name, ["role"] = key.Role, ["prefix"] = key.Prefix, ["ownerUserId"] = userId, ["reason"] = reason }),
                cancellationToken);
        }
        return revoked.Count;
    }

    public static string RoleName(TenantRole role) => role.ToString().ToLowerInvariant();

    private static TenantRole ParseRole(string role) => Enum.Parse<TenantRole>(role, ignoreCase: true);

    private static async Task<string?> OwnerOfAsync(TenantSession session, string apiKeyId, CancellationToken cancellationToken)
    {
        await using var query = session.Command("SELECT owner_user_id FROM api_keys WHERE id = @id");
        query.Parameters.AddWithValue("id", apiKeyId);
        return await query.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<ApiKeyView?> FindAsync(TenantSession session, string id, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var query = session.Command($"SELECT {Columns} FROM api_keys WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}");
        query.Parameters.AddWithValue("id", id);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ApiKeyView Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
}
