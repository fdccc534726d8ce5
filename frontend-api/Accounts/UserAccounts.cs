using Flexoraa.ReadModels;
using Npgsql;

namespace Flexoraa.FrontendApi.Accounts;

/// <summary>The <c>users</c> table: people, independent of any tenant.</summary>
public sealed class UserAccounts(TenantDatabase database, TimeProvider clock)
{
    private const string Columns = "id, email, display_name, password_hash, failed_logins, locked_until";

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public async Task<UserRecord?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand($"SELECT {Columns} FROM users WHERE email_normalized = @email");
        command.Parameters.AddWithValue("email", Normalize(email));
        return await ReadOneAsync(command, cancellationToken);
    }

    public async Task<UserRecord?> FindByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand($"SELECT {Columns} FROM users WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadOneAsync(command, cancellationToken);
    }

    public async Task<UserRecord?> FindByGoogleSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand($"SELECT {Columns} FROM users WHERE google_subject = @subject");
        command.Parameters.AddWithValue("subject", subject);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Creates the user; returns null when the email is already registered.</summary>
    public async Task<UserRecord?> CreateAsync(string email, string displayName, string? passwordHash, string? googleSubject = null, CancellationToken cancellationToken = default)
    {
        var id = Identity.OpaqueTokens.NewId("us_");
        await using var command = database.Shared.CreateCommand("""
            INSERT INTO users (id, email, email_normalized, display_name, password_hash, google_subject)
            VALUES (@id, @email, @normalized, @name, @hash, @google)
            ON CONFLICT (email_normalized) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("email", email.Trim());
        command.Parameters.AddWithValue("normalized", Normalize(email));
        command.Parameters.AddWithValue("name", displayName.Trim());
        command.Parameters.AddWithValue("hash", (object?)passwordHash ?? DBNull.Value);
        command.Parameters.AddWithValue("google", (object?)googleSubject ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1
            ? new UserRecord(id, email.Trim(), displayName.Trim(), passwordHash, 0, null)
            : null;
    }

    /// <summary>Links a Google account to the user; false when the user is already linked to a different one.</summary>
    public async Task<bool> LinkGoogleAsync(string userId, string subject, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand("""
            UPDATE users SET google_subject = @subject, updated_at = now()
            WHERE id = @id AND (google_subject IS NULL OR google_subject = @subject)
            """);
        command.Parameters.AddWithValue("subject", subject);
        command.Parameters.AddWithValue("id", userId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Counts a failed password; at the threshold the account locks and the count starts again.</summary>
    public async Task RecordFailedLoginAsync(string userId, int threshold, TimeSpan lockout, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand("""
            UPDATE users SET
                locked_until  = CASE WHEN failed_logins + 1 >= @threshold THEN @lockedUntil ELSE locked_until END,
                failed_logins = CASE WHEN failed_logins + 1 >= @threshold THEN 0 ELSE failed_logins + 1 END,
                updated_at = now()
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("threshold", threshold);
        command.Parameters.AddWithValue("lockedUntil", clock.GetUtcNow() + lockout);
        command.Parameters.AddWithValue("id", userId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordSuccessfulLoginAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand("UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = @id");
        command.Parameters.AddWithValue("id", userId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The user's tenants and roles, from the <c>tenant_members</c> read model (through its SECURITY DEFINER look-up).</summary>
    public async Task<IReadOnlyList<(string TenantId, string Role)>> MembershipsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var command = database.Shared.CreateCommand("SELECT tenant_id, role FROM flexoraa_memberships_of(@user)");
        command.Parameters.AddWithValue("user", userId);
        var result = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add((reader.GetString(0), reader.GetString(1)));
        return result;
    }

    private static async Task<UserRecord?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new UserRecord(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
    }
}
