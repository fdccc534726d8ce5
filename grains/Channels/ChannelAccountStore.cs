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
        await using var insert = session.Command($"""
            INSERT INTO channel_accounts ({Columns})
            VALUES (@id, @tenant, @channel, @external, @name, @waba, @phone, @token, @hint, @secret, @verify, @fingerprint, @status, @created, @updated)
            """);
        AddParameters(insert, account);
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
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
            await using var gate = session.Command("SELECT pg_advisory_xact_lock(hashtextextended('channel_accounts/' || @tenant, 0))");
            gate.Parameters.AddWithValue("tenant", session.TenantId);
            await gate.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var count = session.Command("SELECT count(*) FROM channel_accounts WHERE tenant_id = @tenant AND deleted_at IS NULL");
        count.Parameters.AddWithValue("tenant", session.TenantId);
        return (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The tenant's live account, locked for the rest of the transaction when <paramref name="forUpdate"/>.</summary>
    public static async Task<ChannelAccountRecord?> FindAsync(TenantSession session, string id, bool forUpdate = false, CancellationToken cancellationToken = default)
    {
        await using var command = session.Command($"SELECT {Columns} FROM channel_accounts WHERE id = @id AND deleted_at IS NULL{(forUpdate ? " FOR UPDATE" : "")}");
        command.Parameters.AddWithValue("id", id);
        return await ReadOneAsync(command, cancellationToken);
    }

    public static async Task<ChannelAccountRecord?> FindLiveAsync(TenantSession session, ChannelKind channel, string externalAccountId, CancellationToken cancellationToken = default)
    {
        await using var command = session.Command($"SELECT {Columns} FROM channel_accounts WHERE channel = @channel AND external_account_id = @external AND deleted_at IS NULL");
        command.Parameters.AddWithValue("channel", ChannelKindNames.Of(channel));
        command.Parameters.AddWithValue("external", externalAccountId);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> live accounts in creation order, after the (created, id) key of the previous page.</summary>
    public static async Task<IReadOnlyList<ChannelAccountRecord>> ListAsync(
        TenantSession session, (DateTimeOffset CreatedAt, string Id)? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = session.Command($"""
            SELECT {Columns} FROM channel_accounts
            WHERE deleted_at IS NULL {(after is null ? "" : "AND (created_at, id) > (@afterAt, @afterId)")}
            ORDER BY created_at, id
            LIMIT @limit
            """);
        if (after is { } key)
        {
            command.Parameters.AddWithValue("afterAt", key.CreatedAt);
            command.Parameters.AddWithValue("afterId", key.Id);
        }
        command.Parameters.AddWithValue("limit", limit);
        var accounts = new List<ChannelAccountRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) accounts.Add(Read(reader));
        return accounts;
    }

    /// <summary>Writes the changeable fields: display name, secrets, fingerprint and the update time.</summary>
    public static async Task UpdateAsync(TenantSession session, ChannelAccountRecord account, CancellationToken cancellationToken = default)
    {
        await using var update = session.Command("""
            UPDATE channel_accounts
            SET display_name = @name, phone_number = @phone, access_token_protected = @token, access_token_hint = @hint,
                app_secret_protected = @secret, verify_token_hash = @verify, app_secret_fingerprint = @fingerprint, updated_at = @updated
            WHERE id = @id AND deleted_at IS NULL
            """);
        AddParameters(update, account);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DisconnectAsync(TenantSession session, string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var update = session.Command("""
            UPDATE channel_accounts SET status = @status, deleted_at = @at, updated_at = @at WHERE id = @id AND deleted_at IS NULL
            """);
        update.Parameters.AddWithValue("status", ChannelAccountRecord.Disconnected);
        update.Parameters.AddWithValue("at", at);
        update.Parameters.AddWithValue("id", id);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The encrypted app secrets of every live account of <paramref name="channel"/>, across tenants.</summary>
    public async Task<IReadOnlyList<string>> ProtectedAppSecretsAsync(ChannelKind channel, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand("SELECT flexoraa_channel_app_secrets(@channel)");
        command.Parameters.AddWithValue("channel", ChannelKindNames.Of(channel));
        var secrets = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) secrets.Add(reader.GetString(0));
        return secrets;
    }

    /// <summary>Whether any live account of <paramref name="channel"/> has <paramref name="token"/> as its verify token.</summary>
    public async Task<bool> VerifyTokenExistsAsync(ChannelKind channel, string token, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand("SELECT flexoraa_channel_verify_token_exists(@channel, @hash)");
        command.Parameters.AddWithValue("channel", ChannelKindNames.Of(channel));
        command.Parameters.AddWithValue("hash", HashVerifyToken(token));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void AddParameters(NpgsqlCommand command, ChannelAccountRecord account)
    {
        command.Parameters.AddWithValue("id", account.Id);
        command.Parameters.AddWithValue("tenant", account.TenantId);
        command.Parameters.AddWithValue("channel", ChannelKindNames.Of(account.Channel));
        command.Parameters.AddWithValue("external", account.ExternalAccountId);
        command.Parameters.AddWithValue("name", account.DisplayName);
        command.Parameters.AddWithValue("waba", (object?)account.WabaId ?? DBNull.Value);
        command.Parameters.AddWithValue("phone", (object?)account.PhoneNumber ?? DBNull.Value);
        command.Parameters.AddWithValue("token", account.AccessTokenProtected);
        command.Parameters.AddWithValue("hint", (object?)account.AccessTokenHint ?? DBNull.Value);
        command.Parameters.AddWithValue("secret", (object?)account.AppSecretProtected ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter<byte[]?>("verify", NpgsqlTypes.NpgsqlDbType.Bytea) { TypedValue = account.VerifyTokenHash });
        command.Parameters.AddWithValue("fingerprint", account.AppSecretFingerprint);
        command.Parameters.AddWithValue("status", account.Status);
        command.Parameters.AddWithValue("created", account.CreatedAt);
        command.Parameters.AddWithValue("updated", account.UpdatedAt);
    }

    private static async Task<ChannelAccountRecord?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ChannelAccountRecord Read(NpgsqlDataReader reader)
    {
        if (!ChannelKindNames.TryParse(reader.GetString(2), out var channel))
        {
            throw new InvalidOperationException($"channel_accounts row {reader.GetString(0)} has an unknown channel '{reader.GetString(2)}'.");
        }
        return new ChannelAccountRecord(
            reader.GetString(0),
            reader.GetString(1),
            channel,
            reader.GetString(3),
            reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetFieldValue<byte[]>(10),
            reader.GetString(11),
            reader.GetString(12),
            reader.GetFieldValue<DateTimeOffset>(13),
            reader.GetFieldValue<DateTimeOffset>(14));
    }
}
