using Flexoraa.ReadModels;

namespace Flexoraa.FrontendApi.Accounts;

/// <summary>The <c>users</c> table: people, independent of any tenant.</summary>
public sealed class UserAccounts(TenantDatabase database, TimeProvider clock)
{
    /// <summary>In the order of <see cref="UserRecord"/>'s parameters, which rows map to by name.</summary>
    private const string Columns = "id, email, display_name, password_hash, failed_logins, locked_until";

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public Task<UserRecord?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultSharedAsync<UserRecord>($"SELECT {Columns} FROM users WHERE email_normalized = @email",
            new { email = Normalize(email) }, cancellationToken);

    public Task<UserRecord?> FindByIdAsync(string id, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultSharedAsync<UserRecord>($"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken);

    public Task<UserRecord?> FindByGoogleSubjectAsync(string subject, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultSharedAsync<UserRecord>($"SELECT {Columns} FROM users WHERE google_subject = @subject", new { subject }, cancellationToken);

    /// <summary>Creates the user; returns null when the email is already registered.</summary>
    public async Task<UserRecord?> CreateAsync(string email, string displayName, string? passwordHash, string? googleSubject = null, CancellationToken cancellationToken = default)
    {
        var id = Identity.OpaqueTokens.NewId("us_");
        var inserted = await database.ExecuteSharedAsync("""
            INSERT INTO users (id, email, email_normalized, display_name, password_hash, google_subject)
            VALUES (@id, @email, @normalized, @name, @passwordHash, @googleSubject)
            ON CONFLICT (email_normalized) DO NOTHING
            """, new { id, email = email.Trim(), normalized = Normalize(email), name = displayName.Trim(), passwordHash, googleSubject }, cancellationToken);
        return inserted == 1 ? new UserRecord(id, email.Trim(), displayName.Trim(), passwordHash, 0, null) : null;
    }

    /// <summary>Links a Google account to the user; false when the user is already linked to a different one.</summary>
    public async Task<bool> LinkGoogleAsync(string userId, string subject, CancellationToken cancellationToken = default) =>
        await database.ExecuteSharedAsync("""
            UPDATE users SET google_subject = @subject, updated_at = now()
            WHERE id = @userId AND (google_subject IS NULL OR google_subject = @subject)
            """, new { subject, userId }, cancellationToken) == 1;

    /// <summary>Counts a failed password; at the threshold the account locks and the count starts again.</summary>
    public Task RecordFailedLoginAsync(string userId, int threshold, TimeSpan lockout, CancellationToken cancellationToken = default) =>
        database.ExecuteSharedAsync("""
            UPDATE users SET
                locked_until  = CASE WHEN failed_logins + 1 >= @threshold THEN @lockedUntil ELSE locked_until END,
                failed_logins = CASE WHEN failed_logins + 1 >= @threshold THEN 0 ELSE failed_logins + 1 END,
                updated_at = now()
            WHERE id = @userId
            """, new { threshold, lockedUntil = clock.GetUtcNow() + lockout, userId }, cancellationToken);

    public Task RecordSuccessfulLoginAsync(string userId, CancellationToken cancellationToken = default) =>
        database.ExecuteSharedAsync("UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = @userId", new { userId }, cancellationToken);

    /// <summary>The user's tenants and roles, from the <c>tenant_members</c> read model (through its SECURITY DEFINER look-up).</summary>
    public async Task<IReadOnlyList<(string TenantId, string Role)>> MembershipsAsync(string userId, CancellationToken cancellationToken = default) =>
        [.. (await database.QuerySharedAsync<Membership>("SELECT tenant_id, role FROM flexoraa_memberships_of(@userId)", new { userId }, cancellationToken))
            .Select(m => (m.TenantId, m.Role))];

    private sealed record Membership(string TenantId, string Role);
}
