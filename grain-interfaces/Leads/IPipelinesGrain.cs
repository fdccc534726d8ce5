using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Flexoraa.Leads;

/// <summary>
/// The tenant's pipelines (key: the tenant id). A tenant that has none gets the default one (New, Contacted, Qualified,
/// Proposal, Won, Lost) the first time it asks. Rarely written and read only when a lead changes stage, so one grain per
/// tenant is no hot spot.
/// </summary>
[Alias("Flexoraa.Leads.IPipelinesGrain")]
public interface IPipelinesGrain : IGrainWithStringKey
{
    /// <summary>Every pipeline of the tenant, by position; the first is the default.</summary>
    [Alias("List"), ReadOnly]
    Task<ImmutableArray<Pipeline>> List();

    [Alias("Create")]
    Task<PipelineChangeResult> Create(PipelineDraft draft);

    [Alias("Update")]
    Task<PipelineChangeResult> Update(string pipelineId, PipelineDraft draft);

    /// <summary>Refused (<see cref="PipelineChangeOutcome.Conflict"/>) while leads are in it or when it is the last one.</summary>
    [Alias("Delete")]
    Task<PipelineChangeResult> Delete(string pipelineId);
}
