using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Email;
using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;

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
        await session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('flexoraa.invitations:' || @tenant, 0))", cancellationToken: cancellationToken);

        await session.ExecuteAsync("""
            UPDATE invitations SET revoked_at = @now
            WHERE tenant_id = @tenant AND lower(email) = lower(@email) AND accepted_at IS NULL AND revoked_at IS NULL
            """, new { now, email }, cancellationToken);

        if (seats > 0)
        {
            var taken = memberCount + await CountPendingAsync(session, now, cancellationToken);
            if (taken >= seats) return new InvitationCreation.SeatLimitReached(seats, taken);
        }

        var token = OpaqueTokens.New("inv_");
        var invitation = new InvitationRecord(OpaqueTokens.NewId("iv_"), tenantId, email, role, caller.ActorId, now, now + settings.InvitationLifetime, null, null);
        await session.ExecuteAsync("""
            INSERT INTO invitations (id, tenant_id, email, role, token_hash, invited_by, created_at, expires_at)
            VALUES (@Id, @tenant, @Email, @role, @hash, @InvitedBy, @CreatedAt, @ExpiresAt)
            """, new { invitation.Id, invitation.Email, role = TeamRoles.Name(role), hash = OpaqueTokens.Hash(token), invitation.InvitedBy,
                invitation.CreatedAt, invitation.ExpiresAt }, cancellationToken);
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
        var rows = await session.QueryAsync<InvitationRow>($"""
            SELECT {Columns} FROM invitations
            WHERE tenant_id = @tenant AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now
              AND (@afterId::varchar IS NULL OR (created_at, id) < (@afterCreated::timestamptz, @afterId))
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """, new { now, afterId = page.After?.Id, afterCreated = page.After?.CreatedAt, limit = page.Limit + 1 }, cancellationToken);
        return page.ToPage(rows.Select(r => r.ToRecord().ToView(now)).ToList(), v => new InvitationCursor(v.CreatedAt, v.Id));
    }

    public async Task<InvitationRecord?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        return await GetAsync(session, id, cancellationToken);
    }

    public static async Task<InvitationRecord?> GetAsync(TenantSession session, string id, CancellationToken cancellationToken = default)
    {
        var rows = await session.QueryAsync<InvitationRow>($"SELECT {Columns} FROM invitations WHERE tenant_id = @tenant AND id = @id", new { id }, cancellationToken);
        return rows.Count == 1 ? rows[0].ToRecord() : null;
    }

    public async Task<InvitationRevocation> RevokeAsync(string tenantId, string id, Caller caller, string? ip, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        if (await session.ExecuteScalarAsync<string>(
                "UPDATE invitations SET revoked_at = @now WHERE tenant_id = @tenant AND id = @id AND accepted_at IS NULL AND revoked_at IS NULL RETURNING email",
                new { now = clock.GetUtcNow(), id }, cancellationToken) is { } email)
        {
            await AuditTrail.RecordAsync(session, new AuditEntry(AuditActions.InvitationRevoked, caller.UserId, caller.ApiKeyId, "invitation", id, ip,
                new Dictionary<string, string?> { ["email"] = email }), cancellationToken);
            await session.CommitAsync(cancellationToken);
            return InvitationRevocation.Revoked;
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
        var found = await database.QuerySingleOrDefaultSharedAsync<TokenOwner>(
            "SELECT id, tenant_id FROM flexoraa_invitation_by_hash(@hash)", new { hash = OpaqueTokens.Hash(token) }, cancellationToken);
        return found is null ? null : await GetAsync(found.TenantId, found.Id, cancellationToken);
    }

    /// <summary>
    /// Marks the invitation accepted if it still can be. The row stays locked until the session ends, so a second accept
    /// of the same token waits and then finds it used; rolling the session back makes the invitation usable again.
    /// </summary>
    public static async Task<bool> TryClaimAsync(TenantSession session, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        return await session.ExecuteScalarAsync<string>("""
            UPDATE invitations SET accepted_at = @now
            WHERE tenant_id = @tenant AND id = @id AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now
            RETURNING id
            """, new { now, id }, cancellationToken) is not null;
    }

    /// <summary>Records who accepted a claimed invitation (a new account only has an id once the claim holds).</summary>
    public static Task RecordAcceptedByAsync(TenantSession session, string id, string userId, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync("UPDATE invitations SET accepted_by = @userId WHERE tenant_id = @tenant AND id = @id", new { userId, id }, cancellationToken);

    private static async Task<int> CountPendingAsync(TenantSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        (int)await session.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM invitations WHERE tenant_id = @tenant AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now",
            new { now }, cancellationToken);

    private sealed record TokenOwner(string Id, string TenantId);

    /// <summary>An <c>invitations</c> row as selected by <see cref="Columns"/>.</summary>
    private sealed record InvitationRow(
        string Id, string TenantId, string Email, string Role, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
        DateTimeOffset? AcceptedAt, DateTimeOffset? RevokedAt)
    {
        public InvitationRecord ToRecord() => new(Id, TenantId, Email, TeamRoles.TryParse(Role, out var role) ? role.Value : TenantRole.Member,
            InvitedBy, CreatedAt, ExpiresAt, AcceptedAt, RevokedAt);
    }
}
