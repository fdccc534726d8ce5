namespace Flexoraa.Tenants;

/// <summary>Everything about a tenant that a caller may read, as of <see cref="Version"/>.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.TenantSnapshot")]
public sealed record TenantSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] TenantProfile Profile,
    [property: Id(2)] TenantSettings Settings,
    [property: Id(3)] TenantPlan Plan,
    [property: Id(4)] TenantLimits Limits,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] long Version);
