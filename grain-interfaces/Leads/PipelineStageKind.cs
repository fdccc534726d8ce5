namespace Flexoraa.Leads;

/// <summary>What reaching a stage means: a lead moved to a won stage carries a value, one moved to a lost stage a reason.</summary>
public enum PipelineStageKind
{
    Open,
    Won,
    Lost,
}
