using System.Collections.Immutable;

namespace Flexoraa.Leads.Scoring;

/// <summary>One group of a score: the sum of its items now (<see cref="Raw"/>), its <see cref="Cap"/>, and <see cref="Points"/>, the capped, rounded subtotal.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.ScoreGroup")]
public sealed record ScoreGroup(
    [property: Id(0)] int Points,
    [property: Id(1)] double Raw,
    [property: Id(2)] int Cap,
    [property: Id(3)] ImmutableArray<ScoreItem> Items);
