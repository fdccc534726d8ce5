using System.Diagnostics.CodeAnalysis;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Team;

/// <summary>
/// Roles as the API and the database spell them (<c>owner</c>, <c>admin</c>, <c>sdr</c>, <c>member</c>).
/// Parsed by hand because <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would also accept "3".
/// </summary>
public static class TeamRoles
{
    public const string Choices = "owner, admin, sdr or member";

    public static bool TryParse(string? value, [NotNullWhen(true)] out TenantRole? role)
    {
        role = value?.Trim().ToLowerInvariant() switch
        {
            "owner" => TenantRole.Owner,
            "admin" => TenantRole.Admin,
            "sdr" => TenantRole.Sdr,
            "member" => TenantRole.Member,
            _ => null,
        };
        return role is not null;
    }

    public static string Name(TenantRole role) => role.ToString().ToLowerInvariant();
}
