namespace Flexoraa.Leads;

[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.PipelineStage")]
public sealed record PipelineStage(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] PipelineStageKind Kind);
