namespace Flexoraa.Leads.Scoring;

/// <summary>
/// One rule that gave points: <see cref="Rule"/> is its path in the rules (<c>fit[0]</c>, <c>engagement[2]</c>),
/// <see cref="Points"/> what it gave and <see cref="PointsNow"/> what is left after decay (fit points never decay). An
/// engagement item names its <see cref="Event"/>, when it happened and where it came from.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.ScoreItem")]
public sealed record ScoreItem(
    [property: Id(0)] string Rule,
    [property: Id(1)] string Description,
    [property: Id(2)] double Points,
    [property: Id(3)] double PointsNow,
    [property: Id(4)] string? Event = null,
    [property: Id(5)] DateTimeOffset? OccurredAt = null,
    [property: Id(6)] string? Reference = null);
