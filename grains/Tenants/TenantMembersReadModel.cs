using Flexoraa.ReadModels;

namespace Flexoraa.Tenants;

/// <summary>
/// Mirrors a tenant's members into <c>tenant_members</c>, which answers "which tenants is this user in" at login.
/// It replaces the tenant's whole set in one transaction, so a sync that failed half-way is simply redone.
/// </summary>
public sealed class TenantMembersReadModel(TenantDatabase database)
{
    public async Task ReplaceAsync(string tenantId, IEnumerable<TenantMember> members, CancellationToken cancellationToken = default)
    {
        await using var session = await database.BeginAsync(tenantId, cancellationToken);
        await session.ExecuteAsync("DELETE FROM tenant_members WHERE tenant_id = @tenant", cancellationToken: cancellationToken);
        foreach (var member in members)
        {
            await session.ExecuteAsync("""
                INSERT INTO tenant_members (tenant_id, user_id, role, email, display_name, joined_at)
                VALUES (@tenant, @UserId, @role, @Email, @DisplayName, @JoinedAt)
                """, new { member.UserId, role = TenantRoleNames.Of(member.Role), member.Email, member.DisplayName, member.JoinedAt }, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
    }
}
