namespace Flexoraa.Leads.Scoring;

/// <summary>Points for every engagement event of kind <see cref="Event"/> (an <see cref="EngagementKind"/> in camelCase), decaying with the half-life.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.EngagementRule")]
public sealed record EngagementRule(
    [property: Id(0)] string Event,
    [property: Id(1)] int Points);
