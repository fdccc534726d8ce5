using System.Collections.Immutable;

namespace Flexoraa.Leads.Scoring;

/// <summary>
/// Which threshold automation, if any, applies to a lead at a total: of those the total reaches whose stage is in the
/// lead's pipeline further along than the lead is, the one that goes furthest. A lead in a won or lost stage, or in no
/// pipeline, is never moved, and no automation moves a lead backwards.
/// </summary>
public static class StageAdvance
{
    public static (int Index, ScoreAutomation Automation)? Decide(Lead lead, int total, ImmutableArray<ScoreAutomation> automations, ImmutableArray<Pipeline> pipelines)
    {
        if (automations.IsDefaultOrEmpty || lead.PipelineId is null || lead.StageId is null) return null;
        if (pipelines.FirstOrDefault(p => p.Id == lead.PipelineId) is not { } pipeline) return null;
        var current = pipeline.Stages.IndexOf(pipeline.Stage(lead.StageId)!);
        if (current < 0 || pipeline.Stages[current].Kind != PipelineStageKind.Open) return null;
        (int Index, ScoreAutomation Automation, int Position)? best = null;
        for (var i = 0; i < automations.Length; i++)
        {
            var automation = automations[i];
            if (total < automation.MinTotal || pipeline.Stage(automation.StageId) is not { Kind: PipelineStageKind.Open } stage) continue;
            var position = pipeline.Stages.IndexOf(stage);
            if (position > current && (best is null || position > best.Value.Position)) best = (i, automation, position);
        }
        return best is { } found ? (found.Index, found.Automation) : null;
    }
}
