using Flexoraa.Tenants;

namespace Flexoraa.FrontendApi.Tenants;

/// <summary>The body of <c>POST /api/v1/tenants</c>. Locale fields default to an Indian business, Flexoraa's first market.</summary>
public sealed record CreateTenantRequest(
    string? Name,
    string? Website = null,
    string? Industry = null,
    string? Country = null,
    string? Currency = null,
    string? TimeZone = null,
    string? Locale = null)
{
    public TenantProfile ToProfile() => new(
        Name?.Trim() ?? "",
        Website,
        Industry,
        (Country ?? "IN").ToUpperInvariant(),
        (Currency ?? "INR").ToUpperInvariant(),
        TimeZone ?? "Asia/Kolkata",
        Locale ?? "en-IN");
}
