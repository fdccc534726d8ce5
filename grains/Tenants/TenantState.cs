namespace Flexoraa.Tenants;

/// <summary>The persisted form of a tenant. A null profile means "not created yet".</summary>
[GenerateSerializer, Alias("Flexoraa.Tenants.TenantState")]
public sealed class TenantState
{
    [Id(0)] public TenantProfile? Profile { get; set; }
    [Id(1)] public TenantSettings Settings { get; set; } = TenantSettings.Default;
    [Id(2)] public TenantPlan Plan { get; set; } = TenantPlan.Trial;
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(5)] public long Version { get; set; }
    [Id(6)] public Dictionary<string, TenantMember> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The <see cref="Version"/> the <c>tenant_members</c> read model last caught up with.</summary>
    [Id(7)] public long MembersReadModelVersion { get; set; }
}
