namespace Flexoraa.Tenants;

/// <summary>A member's role in one tenant. What each may do is in <see cref="RolePermissions"/>.</summary>
public enum TenantRole
{
    Member = 0,
    Sdr = 1,
    Admin = 2,
    Owner = 3,
}
