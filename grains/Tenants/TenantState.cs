using Flexoraa.Tenants;

namespace Flexoraa.Tenants;

/// <summary>The persisted form of a tenant. Null members mean "not created yet".</summary>
[GenerateSerializer, Alias("Flexoraa.Tenants.TenantState")]
public sealed class TenantState
{
    [Id(0)] public TenantProfile? Profile { get; set; }
    [Id(1)] public TenantSettings Settings { get; set; } = TenantSettings.Default;
    [Id(2)] public TenantPlan Plan { get; set; } = TenantPlan.Trial;
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(5)] public long Version { get; set; }
}
