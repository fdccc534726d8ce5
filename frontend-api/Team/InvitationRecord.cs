using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Team;

/// <summary>A row of <c>invitations</c>, without its token hash.</summary>
public sealed record InvitationRecord(
    string Id,
    string TenantId,
    string Email,
    TenantRole Role,
    string InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? RevokedAt)
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Revoked = "revoked";
    public const string Expired = "expired";

    public string StatusAt(DateTimeOffset now) =>
        AcceptedAt is not null ? Accepted : RevokedAt is not null ? Revoked : ExpiresAt <= now ? Expired : Pending;

    public InvitationView ToView(DateTimeOffset now) =>
        new(Id, Email, TeamRoles.Name(Role), StatusAt(now), InvitedBy, CreatedAt, ExpiresAt);
}
