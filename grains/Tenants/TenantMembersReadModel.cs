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
        await using (var delete = session.Command("DELETE FROM tenant_members WHERE tenant_id = @tenant"))
        {
            delete.Parameters.AddWithValue("tenant", tenantId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var member in members)
        {
            await using var insert = session.Command("""
                INSERT INTO tenant_members (tenant_id, user_id, role, email, display_name, joined_at)
                VALUES (@tenant, @user, @role, @email, @name, @joined)
                """);
            insert.Parameters.AddWithValue("tenant", tenantId);
            insert.Parameters.AddWithValue("user", member.UserId);
            insert.Parameters.AddWithValue("role", member.Role.ToString().ToLowerInvariant());
            insert.Parameters.AddWithValue("email", member.Email);
            insert.Parameters.AddWithValue("name", member.DisplayName);
            insert.Parameters.AddWithValue("joined", member.JoinedAt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
    }
}
