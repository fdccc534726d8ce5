namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// The orders of the lead list: <c>-created</c> (newest first, the default), <c>created</c>, <c>-updated</c>,
/// <c>updated</c>, <c>name</c> (A to Z), <c>-name</c>, <c>-score</c> (best first) and <c>score</c>. Every order ends with
/// the id, so pages never overlap.
/// </summary>
public sealed record LeadSort(string Name, string KeyColumn, bool Descending)
{
    public static readonly IReadOnlyList<LeadSort> All =
    [
        new("-created", "l.created_at", true),
        new("created", "l.created_at", false),
        new("-updated", "l.updated_at", true),
        new("updated", "l.updated_at", false),
        new("name", "lower(coalesce(l.display_name, ''))", false),
        new("-name", "lower(coalesce(l.display_name, ''))", true),
        new("-score", "l.score", true),
        new("score", "l.score", false),
    ];

    public static LeadSort Default => All[0];

    public bool ByName => Name.EndsWith("name", StringComparison.Ordinal);

    public bool ByScore => Name.EndsWith("score", StringComparison.Ordinal);
}
