namespace Flexoraa.Leads.Scoring;

/// <summary>
/// One engagement event of a lead, as <see cref="ILeadGrain.RecordEngagement"/> takes it and as the lead keeps it for
/// decay. <see cref="Reference"/> says where it came from (a conversation id, a timeline entry id, a campaign id), so the
/// score's breakdown can point at it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.LeadEngagement")]
public sealed record LeadEngagement(
    [property: Id(0)] EngagementKind Kind,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] string? Reference = null);
