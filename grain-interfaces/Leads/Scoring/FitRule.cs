namespace Flexoraa.Leads.Scoring;

/// <summary>
/// A rule on the lead's fields that gives <see cref="Points"/> (negative to take them away) when it holds.
/// <see cref="Kind"/> is one of <see cref="FitRuleKinds.All"/>; which of <see cref="Field"/>, <see cref="Value"/>,
/// <see cref="Values"/> and <see cref="Number"/> it needs is said there.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.FitRule")]
public sealed record FitRule(
    [property: Id(0)] string Kind,
    [property: Id(1)] int Points,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Value = null,
    [property: Id(4)] string[]? Values = null,
    [property: Id(5)] double? Number = null);
