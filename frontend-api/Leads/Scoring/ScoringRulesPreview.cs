namespace Flexoraa.FrontendApi.Leads.Scoring;

/// <summary>
/// What <c>POST /api/v1/scoring-rules/preview</c> answers: over all the tenant's leads, scored as of now under the
/// current rules and under the proposed ones, how many would change grade (up or down), and how many each grade has
/// before and after. Nothing is saved.
/// </summary>
public sealed record ScoringRulesPreview(
    int Leads,
    int ChangingGrade,
    int Upgraded,
    int Downgraded,
    IReadOnlyDictionary<string, int> GradesNow,
    IReadOnlyDictionary<string, int> GradesAfter);
