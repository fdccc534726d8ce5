using Flexoraa.Leads;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>One stage of a <see cref="PipelineRequest"/>; the kind of an existing stage cannot change.</summary>
public sealed record PipelineStageRequest(string? Id, string? Name, PipelineStageKind? Kind);
