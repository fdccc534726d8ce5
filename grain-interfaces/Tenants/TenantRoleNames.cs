using System.Diagnostics.CodeAnalysis;

namespace Flexoraa.Tenants;

/// <summary>
/// The one spelling of roles: in the API and the hub, in tokens' role claim, in <c>tenant_members.role</c> and
/// <c>api_keys.role</c>: <c>owner</c>, <c>admin</c>, <c>sdr</c>, <c>member</c>. Parsed by hand because
/// <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would also accept "3" or "Owner, Admin".
/// </summary>
public static class TenantRoleNames
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Sdr = "sdr";
    public const string Member = "member";

    public const string Choices = $"{Owner}, {Admin}, {Sdr} or {Member}";

    public static string Of(TenantRole role) => role switch
    {
        TenantRole.Owner => Owner,
        TenantRole.Admin => Admin,
        TenantRole.Sdr => Sdr,
        TenantRole.Member => Member,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    public static bool TryParse(string? value, [NotNullWhen(true)] out TenantRole? role)
    {
        role = value?.Trim().ToLowerInvariant() switch
        {
            Owner => TenantRole.Owner,
            Admin => TenantRole.Admin,
            Sdr => TenantRole.Sdr,
            Member => TenantRole.Member,
            _ => null,
        };
        return role is not null;
    }
}
