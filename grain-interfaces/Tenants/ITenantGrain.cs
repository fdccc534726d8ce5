namespace Flexoraa.Tenants;

/// <summary>A tenant's profile, settings and plan. Key: the tenant id.</summary>
[Alias("Flexoraa.Tenants.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant; returns null when a tenant with this id already exists.</summary>
    [Alias("Create")]
    Task<TenantSnapshot?> Create(TenantProfile profile);

    /// <summary>Returns null when the tenant was never created.</summary>
    [Alias("Get")]
    Task<TenantSnapshot?> Get();

    /// <summary>Applies <paramref name="changes"/>; returns null when the tenant was never created.</summary>
    [Alias("Update")]
    Task<TenantSnapshot?> Update(TenantChanges changes);
}
