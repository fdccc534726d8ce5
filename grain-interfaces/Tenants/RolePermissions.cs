using System.Collections.Frozen;

namespace Flexoraa.Tenants;

/// <summary>
/// The permission matrix, in one place. The README's permission table is this table.
/// SDRs work conversations and leads assigned to them or unassigned (the grains enforce the assignment part);
/// Members read.
/// </summary>
public static class RolePermissions
{
    private static readonly FrozenDictionary<TenantRole, FrozenSet<Permission>> Matrix = new Dictionary<TenantRole, FrozenSet<Permission>>
    {
        [TenantRole.Owner] = Enum.GetValues<Permission>().ToFrozenSet(),
        [TenantRole.Admin] = Enum.GetValues<Permission>().Except([Permission.ManageBilling, Permission.TransferOwnership]).ToFrozenSet(),
        [TenantRole.Sdr] = new[]
        {
            Permission.ReadTenant, Permission.ReadMembers, Permission.ReadConversations, Permission.WorkConversations,
            Permission.ReadLeads, Permission.WorkLeads,
        }.ToFrozenSet(),
        [TenantRole.Member] = new[]
        {
            Permission.ReadTenant, Permission.ReadMembers, Permission.ReadConversations, Permission.ReadLeads,
        }.ToFrozenSet(),
    }.ToFrozenDictionary();

    public static bool Allows(TenantRole role, Permission permission) =>
        Matrix.TryGetValue(role, out var granted) && granted.Contains(permission);

    public static IReadOnlySet<Permission> Of(TenantRole role) => Matrix[role];
}
