namespace Flexoraa.Leads.Scoring;

/// <summary>The rules after a replace, or the path of the first bad rule (<c>fit[2].points</c>) and why.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.ScoringRulesChangeResult")]
public sealed record ScoringRulesChangeResult(
    [property: Id(0)] ScoringRules? Rules,
    [property: Id(1)] string? Path = null,
    [property: Id(2)] string? Error = null);
