using Flexoraa.Tenants;

namespace Flexoraa.Realtime;

/// <summary>
/// A member joined (<see cref="PreviousRole"/> null), got another role, or left (<see cref="Role"/> null). Tenant-wide.
/// Frontend hosts also act on a role change or a removal: they close the user's open inbox connections (so a removed or
/// demoted user keeps nothing an old check granted) and forget the membership they cached for hub connects.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.MembershipChanged")]
public sealed record MembershipChanged(
    string TenantId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string UserId,
    [property: Id(1)] TenantRole? Role,
    [property: Id(2)] TenantRole? PreviousRole)
    : TenantUpdate(TenantId, null, OccurredAt);
