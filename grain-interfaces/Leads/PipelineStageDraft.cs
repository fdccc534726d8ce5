namespace Flexoraa.Leads;

[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.PipelineStageDraft")]
public sealed record PipelineStageDraft(
    [property: Id(0)] string? Id,
    [property: Id(1)] string? Name,
    [property: Id(2)] PipelineStageKind? Kind);
