using System.Security.Cryptography;
using System.Text;
using Flexoraa.ReadModels;
using Npgsql;

namespace Flexoraa.Channels;

/// <summary>
/// <c>channel_accounts</c>: the connected WhatsApp numbers, Messenger pages and Instagram accounts and their encrypted
/// secrets. Tenant rows are read and written inside a caller's <see cref="TenantSession"/>, so the change commits
/// together with its audit entry; the two look-ups webhooks make before a tenant is known go through SECURITY DEFINER
/// functions. Disconnected accounts stay as soft-deleted rows and are invisible here.
/// </summary>
public sealed class ChannelAccountStore(TenantDatabase database)
{
    private const string Columns = """
        id, tenant_id, channel, external_account_id, display_name, waba_id, phone_number, access_token_protected,
        access_token_hint, app_secret_protected, verify_token_hash, app_secret_fingerprint, status, created_at, updated_at
        """;

    private const string LiveAccountIndex = "ux_channel_accounts_live";

    /// <summary>Verify tokens are stored and looked up by this hash only.</summary>
    public static byte[] HashVerifyToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>
    /// Inserts the account; false when a live account with the same channel and external id already exists, in this
    /// tenant or any other. The session's transaction is aborted then and must be discarded.
    /// </summary>
    public static async Task<bool> InsertAsync(TenantSession session, ChannelAccountRecord account, CancellationToken cancellationToken = default)
    {
        if (account.TenantId != session.TenantId)
        {
            throw new ArgumentException($"Account {account.Id} belongs to tenant {account.TenantId}, not the session's.", nameof(account));
        }
        try
        {
            await session.ExecuteAsync($"""
                INSERT INTO channel_accounts ({Columns})
                VALUES (@Id, @tenant, @Channel, @ExternalAccountId, @DisplayName, @WabaId, @PhoneNumber, @AccessTokenProtected,
                        @AccessTokenHint, @AppSecretProtected, @VerifyTokenHash, @AppSecretFingerprint, @Status, @CreatedAt, @UpdatedAt)
                """, Parameters(account), cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == LiveAccountIndex)
        {
            return false;
        }
    }

    /// <summary>
    /// The number of the tenant's live accounts. With <paramref name="lockForConnect"/> it first takes a per-tenant
    /// lock held to the end of the transaction, so two concurrent connects cannot both take a plan's last slot.
    /// </summary>
    public static async Task<int> CountLiveAsync(TenantSession session, bool lockForConnect = false, CancellationToken cancellationToken = default)
    {
        if (lockForConnect)
        {
            await session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('channel_accounts/' || @tenant, 0))", cancellationToken: cancellationToken);
        }
        return (int)await session.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM channel_accounts WHERE tenant_id = @tenant AND deleted_at IS NULL", cancellationToken: cancellationToken);
    }

    /// <summary>The tenant's live account, locked for the rest of the transaction when <paramref name="forUpdate"/>.</summary>
    public static async Task<ChannelAccountRecord?> FindAsync(TenantSession session, string id, bool forUpdate = false, CancellationToken cancellationToken = default) =>
        (await session.QuerySingleOrDefaultAsync<ChannelAccountRow>(
            $"SELECT {Columns} FROM channel_accounts WHERE tenant_id = @tenant AND id = @id AND deleted_at IS NULL{(forUpdate ? " FOR UPDATE" : "")}",
            new { id }, cancellationToken))?.ToRecord();

    public static async Task<ChannelAccountRecord?> FindLiveAsync(TenantSession session, ChannelKind channel, string externalAccountId, CancellationToken cancellationToken = default) =>
        (await session.QuerySingleOrDefaultAsync<ChannelAccountRow>(
            $"SELECT {Columns} FROM channel_accounts WHERE tenant_id = @tenant AND channel = @channel AND external_account_id = @external AND deleted_at IS NULL",
            new { channel = ChannelKindNames.Of(channel), external = externalAccountId }, cancellationToken))?.ToRecord();

    /// <summary>Up to <paramref name="limit"/> live accounts in creation order, after the (created, id) key of the previous page.</summary>
    public static async Task<IReadOnlyList<ChannelAccountRecord>> ListAsync(
        TenantSession session, (DateTimeOffset CreatedAt, string Id)? after, int limit, CancellationToken cancellationToken = default)
    {
        var rows = await session.QueryAsync<ChannelAccountRow>($"""
            SELECT {Columns} FROM channel_accounts
            WHERE tenant_id = @tenant AND deleted_at IS NULL
              AND (@afterId::text IS NULL OR (created_at, id) > (@afterAt, @afterId))
            ORDER BY created_at, id
            LIMIT @limit
            """, new { afterAt = after?.CreatedAt, afterId = after?.Id, limit }, cancellationToken);
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Writes the changeable fields: display name, secrets, fingerprint and the update time.</summary>
    public static Task UpdateAsync(TenantSession session, ChannelAccountRecord account, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            UPDATE channel_accounts
            SET display_name = @DisplayName, phone_number = @PhoneNumber, access_token_protected = @AccessTokenProtected,
                access_token_hint = @AccessTokenHint, app_secret_protected = @AppSecretProtected, verify_token_hash = @VerifyTokenHash,
                app_secret_fingerprint = @AppSecretFingerprint, updated_at = @UpdatedAt
            WHERE tenant_id = @tenant AND id = @Id AND deleted_at IS NULL
            """, Parameters(account), cancellationToken);

    public static Task DisconnectAsync(TenantSession session, string id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("""
            UPDATE channel_accounts SET status = @status, deleted_at = @at, updated_at = @at
            WHERE tenant_id = @tenant AND id = @id AND deleted_at IS NULL
            """, new { status = ChannelAccountRecord.Disconnected, at, id }, cancellationToken);

    /// <summary>The encrypted app secrets of every live account of <paramref name="channel"/>, across tenants.</summary>
    public Task<IReadOnlyList<string>> ProtectedAppSecretsAsync(ChannelKind channel, CancellationToken cancellationToken = default) =>
        database.QuerySharedAsync<string>("SELECT flexoraa_channel_app_secrets(@channel)", new { channel = ChannelKindNames.Of(channel) }, cancellationToken);

    /// <summary>Whether any live account of <paramref name="channel"/> has <paramref name="token"/> as its verify token.</summary>
    public Task<bool> VerifyTokenExistsAsync(ChannelKind channel, string token, CancellationToken cancellationToken = default) =>
        database.ExecuteScalarSharedAsync<bool>("SELECT flexoraa_channel_verify_token_exists(@channel, @hash)",
            new { channel = ChannelKindNames.Of(channel), hash = HashVerifyToken(token) }, cancellationToken);

    /// <summary>The record as parameters named after its properties; the channel goes in as its stored name.</summary>
    private static object Parameters(ChannelAccountRecord a) => new
    {
        a.Id, Channel = ChannelKindNames.Of(a.Channel), a.ExternalAccountId, a.DisplayName, a.WabaId, a.PhoneNumber, a.AccessTokenProtected,
        a.AccessTokenHint, a.AppSecretProtected, a.VerifyTokenHash, a.AppSecretFingerprint, a.Status, a.CreatedAt, a.UpdatedAt,
    };

    /// <summary>A <c>channel_accounts</c> row as selected by <see cref="Columns"/>.</summary>
    private sealed record ChannelAccountRow(
        string Id, string TenantId, string Channel, string ExternalAccountId, string DisplayName, string? WabaId, string? PhoneNumber,
        string AccessTokenProtected, string? AccessTokenHint, string? AppSecretProtected, byte[]? VerifyTokenHash,
        string AppSecretFingerprint, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public ChannelAccountRecord ToRecord() => ChannelKindNames.TryParse(Channel, out var channel)
            ? new(Id, TenantId, channel, ExternalAccountId, DisplayName, WabaId, PhoneNumber, AccessTokenProtected, AccessTokenHint,
                AppSecretProtected, VerifyTokenHash, AppSecretFingerprint, Status, CreatedAt, UpdatedAt)
            : throw new InvalidOperationException($"channel_accounts row {Id} has an unknown channel '{Channel}'.");
    }
}
