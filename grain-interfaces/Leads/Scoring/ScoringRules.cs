using System.Collections.Immutable;

namespace Flexoraa.Leads.Scoring;

/// <summary>
/// A tenant's scoring rules at <see cref="Version"/>: fit rules on fields, engagement rules on events with their
/// half-life, a cap per group (the total is then 0 to 100), the grade thresholds and the threshold automations.
/// Every saved change adds one to the version; a lead scored under an older version rescores.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.ScoringRules")]
public sealed record ScoringRules(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableArray<FitRule> Fit,
    [property: Id(2)] ImmutableArray<EngagementRule> Engagement,
    [property: Id(3)] double HalfLifeDays,
    [property: Id(4)] int FitMax,
    [property: Id(5)] int EngagementMax,
    [property: Id(6)] ScoreGrades Grades,
    [property: Id(7)] ImmutableArray<ScoreAutomation> Automations,
    [property: Id(8)] DateTimeOffset? UpdatedAt = null);
