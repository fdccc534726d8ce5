using Orleans.Concurrency;
using System.Collections.Immutable;

namespace Flexoraa.Tenants;

/// <summary>A tenant's profile, settings, plan and members. Key: the tenant id.</summary>
[Alias("Flexoraa.Tenants.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant with its first Owner; returns null when a tenant with this id already exists.</summary>
    [Alias("Create")]
    Task<TenantSnapshot?> Create(TenantProfile profile, TenantMember owner);

    /// <summary>Returns null when the tenant was never created.</summary>
    [Alias("Get")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Get is a keyword only in Visual Basic, and no Visual Basic code calls grains.")]
    Task<TenantSnapshot?> Get();

    /// <summary>Applies <paramref name="changes"/>; returns null when the tenant was never created.</summary>
    [Alias("Update")]
    Task<TenantSnapshot?> Update(TenantChanges changes);

    /// <summary>The member's current role, asked on every request so a removal or demotion takes effect at once.</summary>
    [Alias("GetMember"), AlwaysInterleave]
    Task<TenantMember?> GetMember(string userId);

    [Alias("Members")]
    Task<ImmutableArray<TenantMember>> Members();

    [Alias("AddMember")]
    Task<MembershipOutcome> AddMember(TenantMember member);

    /// <summary>Refuses with <see cref="MembershipOutcome.LastOwner"/> when it would leave no Owner.</summary>
    [Alias("ChangeRole")]
    Task<MembershipOutcome> ChangeRole(string userId, TenantRole role);

    /// <summary>Refuses with <see cref="MembershipOutcome.LastOwner"/> when it would leave no Owner.</summary>
    [Alias("RemoveMember")]
    Task<MembershipOutcome> RemoveMember(string userId);

    /// <summary>
    /// Moves the tenant to <paramref name="plan"/>; its limits follow at once. Billing is the one caller in production;
    /// the public API only reads the plan. Returns null when the tenant was never created.
    /// </summary>
    [Alias("ChangePlan")]
    Task<TenantSnapshot?> ChangePlan(TenantPlan plan);
}
