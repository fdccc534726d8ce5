namespace Flexoraa.Leads.Scoring;

/// <summary>
/// A lead's score in short, as the lead carries it: the total (0 to 100), its grade (A to D), the group subtotals after
/// their caps, and the rules version it was computed under. From a grain it is as of the moment it was read; from the
/// list it is as of the lead's last change or event (engagement has decayed a little since).
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Leads.Scoring.LeadScore")]
public sealed record LeadScore(
    [property: Id(0)] int Total,
    [property: Id(1)] string Grade,
    [property: Id(2)] int Fit,
    [property: Id(3)] int Engagement,
    [property: Id(4)] long RulesVersion);
