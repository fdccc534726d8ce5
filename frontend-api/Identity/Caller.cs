using System.Security.Claims;
using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Identity;

/// <summary>
/// Who is calling, in which tenant, with which role — as checked on this request (the role comes from the tenant's
/// current membership, not from the token). Either a user or an API key.
/// </summary>
public sealed record Caller(string TenantId, TenantRole Role, string? UserId, string? ApiKeyId)
{
    public string ActorId => UserId ?? ApiKeyId ?? "unknown";

    public bool Can(Permission permission) => RolePermissions.Allows(Role, permission);

    public static Caller? From(ClaimsPrincipal principal)
    {
        var tenant = principal.FindFirstValue(FlexoraaClaims.TenantId);
        var role = principal.FindFirstValue(FlexoraaClaims.Role);
        if (tenant is null || !TenantRoleNames.TryParse(role, out var parsed)) return null;
        return new Caller(tenant, parsed.Value, principal.FindFirstValue(FlexoraaClaims.UserId), principal.FindFirstValue(FlexoraaClaims.ApiKeyId));
    }
}
