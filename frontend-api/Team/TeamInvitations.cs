using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Email;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Npgsql;

namespace Flexoraa.FrontendApi.Team;

/// <summary>
/// The <c>invitations</c> table. A token is 256 random bits that only the invitee's email ever holds; the table keeps
/// its SHA-256, so reading the database does not let anyone join a tenant.
/// </summary>
public sealed class TeamInvitations(TenantDatabase database, EmailOutbox outbox, AuthSettings settings, TimeProvider clock)
{
    private const string Columns = "id, tenant_id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at";

    /// <summary>
    /// Creates an invitation unless the plan's seats are taken. An older pending invitation to the same address is
    /// revoked, so "invite again" works as "resend" and never holds two seats for one person. The invitation and its
    /// email (made by <paramref name="composeEmail"/> from the invitation and its token) commit together into the outbox:
    /// if the email cannot be written, there is no invitation either.
    /// </summary>
    public async Task<InvitationCreation> CreateAsync(
        string tenantId, string email, TenantRole role, int seats, int memberCount, Caller caller, string? ip,
        Func<InvitationRecord, string, OutboundEmail> composeEmail, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var session = await database.BeginAsync(tenantId, cancellationToken);

        // Two admins inviting at once must not both take the last seat: invitations of one tenant queue here.
        await using (var lockTenant = session.Command("SELECT pg_advisory_xact_lock(hashtextextended('flexoraa.invitations:' || @tenant, 0))"))
        {
            lockTenant.Parameters.AddWithValue("tenant", tenantId);
            await lockTenant.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var replace = session.Command("""
            UPDATE invitations SET revoked_at = @now
            WHERE lower(email) = lower(@email) AND accepted_at IS NULL AND revoked_at IS NULL
            """))
        {
            replace.Parameters.AddWithValue("now", now);
            replace.Parameters.AddWithValue("email", email);
            await replace.ExecuteNonQueryAsync(cancellationToken);
        }

        if (seats > 0)
        {
            var taken = memberCount + await CountPendingAsync(session, now, cancellationToken);
            if (taken >= seats) return new InvitationCreation.SeatLimitReached(seats, taken);
        }

        var token = OpaqueTokens.New("inv_");
        var invitation = new InvitationRecord(OpaqueTokens.NewId("iv_"), tenantId, email, role, caller.ActorId, now, now + settings.InvitationLifetime, null, null);
        await using (var insert = session.Command("""
            INSERT INTO invitations (id, tenant_id, email, role, token_hash, invited_by, created_at, expires_at)
            VALUES (@id, @tenant, @email, @role, @hash, @by, @created, @expires)
            """))
        {
            insert.Parameters.AddWithValue("id", invitation.Id);
            insert.Parameters.AddWithValue("tenant", tenantId);
            insert.Parameters.AddWithValue("email", email);
            insert.Parameters.AddWithValue("role", TeamRoles.Name(role));
            insert.Parameters.AddWithValue("hash", OpaqueTokens.Hash(token));
            insert.Parameters.AddWithValue("by", invitation.InvitedBy);
            insert.Parameters.AddWithValue("created", invitation.CreatedAt);
            insert.Parameters.AddWithValue("expires", invitation.ExpiresAt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.MemberInvited, caller.UserId, caller.ApiKeyId, "invitation", invitation.Id, ip,
            new Dictionary<string, string?> { ["email"] = email, ["role"] = TeamRoles.Name(role) }), cancellationToken);
        await outbox.EnqueueAsync(session, composeEmail(invitation, token), cancellationToken);
        await session.CommitAsync(cancellationToken);
        outbox.Nudge();
        return new InvitationCreation.Created(invitation, token);
    }

    /// <summary>Pending invitations (not accepted, revoked or expired), newest first.</summary>
    public async Task<CursorPage<InvitationView>> ListPendingAsync(string tenantId, PageRequest<InvitationCursor> page, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using var list = session.Command($"""
            SELECT {Columns} FROM invitations
            WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now
              AND (@afterId::varchar IS NULL OR (created_at, id) < (@afterCreated, @afterId))
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """);
        list.Parameters.AddWithValue("now", now);
        list.Parameters.Add(new NpgsqlParameter("afterId", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = (object?)page.After?.Id ?? DBNull.Value });
        list.Parameters.Add(new NpgsqlParameter("afterCreated", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)page.After?.CreatedAt ?? DBNull.Value });
        list.Parameters.AddWithValue("limit", page.Limit + 1);
        var rows = await ReadAllAsync(list, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToView(now)).ToList(), v => new InvitationCursor(v.CreatedAt, v.Id));
    }

    public async Task<InvitationRecord?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await GetAsync(session, id, cancellationToken);
    }

    public static async Task<InvitationRecord?> GetAsync(TenantSession session, string id, CancellationToken cancellationToken = default)
    {
        await using var get = session.Command($"SELECT {Columns} FROM invitations WHERE id = @id");
        get.Parameters.AddWithValue("id", id);
        var rows = await ReadAllAsync(get, cancellationToken);
        return rows.Count == 1 ? rows[0] : null;
    }

    public async Task<InvitationRevocation> RevokeAsync(string tenantId, string id, Caller caller, string? ip, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await using (var revoke = session.Command("UPDATE invitations SET revoked_at = @now WHERE id = @id AND accepted_at IS NULL AND revoked_at IS NULL RETURNING email"))
        {
            revoke.Parameters.AddWithValue("now", clock.GetUtcNow());
            revoke.Parameters.AddWithValue("id", id);
            if (await revoke.ExecuteScalarAsync(cancellationToken) is string email)
            {
                await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.InvitationRevoked, caller.UserId, caller.ApiKeyId, "invitation", id, ip,
                    new Dictionary<string, string?> { ["email"] = email }), cancellationToken);
                await session.CommitAsync(cancellationToken);
                return InvitationRevocation.Revoked;
            }
        }
        return await GetAsync(session, id, cancellationToken) switch
        {
            null => InvitationRevocation.NotFound,
            { AcceptedAt: not null } => InvitationRevocation.AlreadyAccepted,
            _ => InvitationRevocation.Revoked,
        };
    }

    /// <summary>
    /// The invitation a token belongs to, whatever its state, found by hash before the tenant is known (through the
    /// SECURITY DEFINER look-up) and then read under that tenant's row-level security.
    /// </summary>
    public async Task<InvitationRecord?> FindByTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        string id, tenantId;
        await using (var lookup = database.Shared.CreateCommand("SELECT id, tenant_id FROM flexoraa_invitation_by_hash(@hash)"))
        {
            lookup.Parameters.AddWithValue("hash", OpaqueTokens.Hash(token));
            await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return null;
            (id, tenantId) = (reader.GetString(0), reader.GetString(1));
        }
        return await GetAsync(tenantId, id, cancellationToken);
    }

    /// <summary>
    /// Marks the invitation accepted if it still can be. The row stays locked until the session ends, so a second accept
    /// of the same token waits and then finds it used; rolling the session back makes the invitation usable again.
    /// </summary>
    public static async Task<bool> TryClaimAsync(TenantSession session, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var claim = session.Command("""
            UPDATE invitations SET accepted_at = @now
            WHERE id = @id AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now
            RETURNING id
            """);
        claim.Parameters.AddWithValue("now", now);
        claim.Parameters.AddWithValue("id", id);
        return await claim.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Records who accepted a claimed invitation (a new account only has an id once the claim holds).</summary>
    public static async Task RecordAcceptedByAsync(TenantSession session, string id, string userId, CancellationToken cancellationToken = default)
    {
        await using var update = session.Command("UPDATE invitations SET accepted_by = @user WHERE id = @id");
        update.Parameters.AddWithValue("user", userId);
        update.Parameters.AddWithValue("id", id);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> CountPendingAsync(TenantSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var count = session.Command("SELECT count(*) FROM invitations WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now");
        count.Parameters.AddWithValue("now", now);
        return (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<List<InvitationRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<InvitationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // An unknown stored role reads as none.
            _ = TeamRoles.TryParse(reader.GetString(3), out var role);
            rows.Add(new InvitationRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                role ?? TenantRole.Member,
                reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        }
        return rows;
    }
}
