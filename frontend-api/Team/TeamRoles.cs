using System.Diagnostics.CodeAnalysis;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Team;

/// <summary>The team endpoints' name for <see cref="TenantRoleNames"/>, the one spelling of roles.</summary>
public static class TeamRoles
{
    public const string Choices = TenantRoleNames.Choices;

    public static bool TryParse(string? value, [NotNullWhen(true)] out TenantRole? role) => TenantRoleNames.TryParse(value, out role);

    public static string Name(TenantRole role) => TenantRoleNames.Of(role);
}
