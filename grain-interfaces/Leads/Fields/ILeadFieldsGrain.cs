using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Flexoraa.Leads.Fields;

/// <summary>
/// The tenant's custom lead field definitions (key: the tenant id), in memory and written through to <c>lead_fields</c>.
/// Read by every lead change that touches <c>customFields</c>, written rarely, so one grain per tenant is no hot spot.
/// </summary>
[Alias("Flexoraa.Leads.Fields.ILeadFieldsGrain")]
public interface ILeadFieldsGrain : IGrainWithStringKey
{
    /// <summary>Every definition of the tenant, by position.</summary>
    [Alias("List"), ReadOnly]
    Task<ImmutableArray<LeadFieldDefinition>> List();

    [Alias("Create")]
    Task<LeadFieldChangeResult> Create(LeadFieldDraft draft);

    /// <summary>Changes the label, options or position; a single-select option still in use by a lead cannot be removed.</summary>
    [Alias("Update")]
    Task<LeadFieldChangeResult> Update(string key, LeadFieldDraft draft);

    /// <summary>Removes the definition; the leads' values of it stay, as text nobody can set again until it is defined.</summary>
    [Alias("Delete")]
    Task<LeadFieldChangeResult> Delete(string key);
}
