namespace Flexoraa.Leads.Scoring;

/// <summary>
/// What <c>GET /api/v1/leads/{id}/score</c> answers: the score as of <see cref="AsOf"/>, with every rule that gave
/// points in each group, the groups' caps, the total (0 to 100) and the grade.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.LeadScoreBreakdown")]
public sealed record LeadScoreBreakdown(
    [property: Id(0)] int Total,
    [property: Id(1)] string Grade,
    [property: Id(2)] ScoreGroup Fit,
    [property: Id(3)] ScoreGroup Engagement,
    [property: Id(4)] long RulesVersion,
    [property: Id(5)] double HalfLifeDays,
    [property: Id(6)] DateTimeOffset AsOf)
{
    public LeadScore Summary => new(Total, Grade, Fit.Points, Engagement.Points, RulesVersion);
}
