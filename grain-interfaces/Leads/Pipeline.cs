using System.Collections.Immutable;

namespace Flexoraa.Leads;

/// <summary>A tenant's pipeline: its stages in display order. The tenant's first pipeline (lowest position) is the default for new leads.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Pipeline")]
public sealed record Pipeline(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] int Position,
    [property: Id(3)] ImmutableArray<PipelineStage> Stages,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt)
{
    public PipelineStage? Stage(string stageId) => Stages.FirstOrDefault(s => s.Id == stageId);
}
