using Flexoraa.Leads;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// The body of <c>POST</c> and <c>PATCH /api/v1/pipelines</c>. <c>stages</c> is the whole list in its new order: a stage
/// with an id keeps that stage (rename it by giving a new name), one without is added, one left out is removed (409 while
/// leads are in it). A new pipeline without stages gets the default ones.
/// </summary>
public sealed record PipelineRequest(string? Name, int? Position, PipelineStageRequest?[]? Stages)
{
    public PipelineDraft ToDraft() => new(Name, Position, Stages is null ? null : [.. Stages.Select(s => s is null ? null! : new PipelineStageDraft(s.Id, s.Name, s.Kind))]);
}
