using Flexoraa.Leads.Scoring;

namespace Flexoraa.FrontendApi.Leads.Scoring;

/// <summary>
/// Computes a <see cref="ScoringRulesPreview"/>: pages through the tenant's leads in the table (a thousand at a time,
/// no grain activated) and scores each with <see cref="LeadScorer"/> under both rule sets, as of the same moment.
/// </summary>
public static class GradeChangePreview
{
    public static async Task<ScoringRulesPreview> ComputeAsync(ScoringRulesStore store, string tenantId, ScoringRules current, ScoringRules proposed,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = Grades();
        var after = Grades();
        int leads = 0, up = 0, down = 0;
        var afterId = "";
        while (true)
        {
            var page = await store.PageAsync(tenantId, afterId, cancellationToken);
            if (page.Count == 0) break;
            foreach (var (lead, events) in page)
            {
                var now1 = LeadScorer.Evaluate(lead, events, current, now).Grade;
                var then = LeadScorer.Evaluate(lead, events, proposed, now).Grade;
                before[now1]++;
                after[then]++;
                leads++;
                // Grades are letters, A best: a smaller letter is an upgrade.
                if (string.CompareOrdinal(then, now1) < 0) up++;
                else if (string.CompareOrdinal(then, now1) > 0) down++;
            }
            afterId = page[^1].Lead.Id;
        }
        return new ScoringRulesPreview(leads, up + down, up, down, before, after);
    }

    private static Dictionary<string, int> Grades() => new(StringComparer.Ordinal) { ["A"] = 0, ["B"] = 0, ["C"] = 0, ["D"] = 0 };
}
