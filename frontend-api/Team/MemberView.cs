using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Team;

/// <summary>A member of the tenant as the members API shows them.</summary>
public sealed record MemberView(string UserId, string Email, string DisplayName, string Role, DateTimeOffset JoinedAt)
{
    public static MemberView From(TenantMember member) =>
        new(member.UserId, member.Email, member.DisplayName, TeamRoles.Name(member.Role), member.JoinedAt);
}
