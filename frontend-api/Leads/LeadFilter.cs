using System.Globalization;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// The filters of <c>GET /api/v1/leads</c>, all optional and combined with AND, and the caller's visibility: an SDR
/// (<see cref="VisibleTo"/>) sees only leads they own and unowned ones. A malformed value is a 400 naming the field.
/// </summary>
public sealed record LeadFilter(
    string? StageId,
    string? PipelineId,
    bool Unowned,
    string? OwnerUserId,
    string? Source,
    string? Tag,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedTo,
    DateTimeOffset? UpdatedFrom,
    DateTimeOffset? UpdatedTo,
    string? Query,
    LeadSort Sort,
    string? VisibleTo,
    int? ScoreMin = null,
    int? ScoreMax = null,
    IReadOnlyList<string>? Grades = null)
{
    public const int MaxQueryLength = 200;

    public static bool TryParse(LeadListQuery query, string? callerUserId, bool ownWorkOnly, out LeadFilter filter, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var unowned = false;
        string? owner = null;
        switch (query.Owner?.Trim())
        {
            case null:
                break;
            case "unassigned":
                unowned = true;
                break;
            case "me" when callerUserId is null:
                errors["owner"] = ["'me' means the signed-in user; an API key has none. Pass a user id instead."];
                break;
            case "me":
                owner = callerUserId;
                break;
            case { Length: >= 1 and <= 40 } id:
                owner = id;
                break;
            default:
                errors["owner"] = ["'owner' must be 'me', 'unassigned' or a user id of at most 40 characters."];
                break;
        }
        var sort = LeadSort.Default;
        if (query.Sort is { } sortName)
        {
            sort = LeadSort.All.FirstOrDefault(s => s.Name == sortName.Trim())!;
            if (sort is null)
            {
                errors["sort"] = [$"'sort' must be one of: {string.Join(", ", LeadSort.All.Select(s => s.Name))}."];
                sort = LeadSort.Default;
            }
        }
        filter = new LeadFilter(
            Text(query.Stage, "stage", 40, errors), Text(query.Pipeline, "pipeline", 40, errors), unowned, owner,
            Text(query.Source, "source", 32, errors), Text(query.Tag, "tag", 64, errors),
            Time(query.CreatedFrom, "createdFrom", errors), Time(query.CreatedTo, "createdTo", errors),
            Time(query.UpdatedFrom, "updatedFrom", errors), Time(query.UpdatedTo, "updatedTo", errors),
            Text(query.Q, "q", MaxQueryLength, errors)?.ToLowerInvariant(), sort, ownWorkOnly ? callerUserId ?? "" : null,
            Score(query.ScoreMin, "scoreMin", errors), Score(query.ScoreMax, "scoreMax", errors), ParseGrades(query.Grade, errors));
        if (filter.ScoreMin > filter.ScoreMax) errors["scoreMin"] = ["'scoreMin' is at most 'scoreMax'."];
        return errors.Count == 0;
    }

    private static int? Score(int? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is null or (>= 0 and <= 100)) return value;
        errors[field] = [$"'{field}' is a score of 0 to 100."];
        return null;
    }

    /// <summary>One grade or several, comma-separated: <c>A</c>, <c>A,B</c>.</summary>
    private static List<string>? ParseGrades(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        var grades = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(g => g.ToUpperInvariant()).Distinct().ToList();
        if (grades.Count > 0 && grades.All(g => g is "A" or "B" or "C" or "D")) return grades;
        errors["grade"] = ["'grade' is A, B, C or D, or several comma-separated (A,B)."];
        return null;
    }

    private static string? Text(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        if (trimmed.Length >= 1 && trimmed.Length <= max) return trimmed;
        errors[field] = [$"'{field}' must be 1 to {max} characters."];
        return null;
    }

    private static DateTimeOffset? Time(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at.ToUniversalTime();
        errors[field] = [$"'{field}' must be an ISO 8601 date and time, such as 2026-01-31T00:00:00Z."];
        return null;
    }
}
