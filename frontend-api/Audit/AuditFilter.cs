using System.Globalization;
using System.Reflection;

namespace Flexoraa.FrontendApi.Audit;

/// <summary>
/// The filters of <c>GET /api/v1/audit</c>; all optional and combined with AND. <see cref="From"/> is inclusive and
/// <see cref="To"/> exclusive, so consecutive ranges never count an entry twice.
/// </summary>
public sealed record AuditFilter(string? Action, string? ActorUserId, string? TargetType, string? TargetId, DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>Every action <see cref="AuditActions"/> names; a filter for anything else is a typo, not an empty result.</summary>
    public static readonly IReadOnlySet<string> KnownActions = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    // ISO 8601 as clients write it: a date, or a date and time with an optional fraction and an optional offset (UTC if none).
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryParse(
        string? action, string? actorUserId, string? targetType, string? targetId, string? from, string? to,
        out AuditFilter filter, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (action is not null && !KnownActions.Contains(action))
        {
            errors["action"] = [$"Unknown action. Known actions: {string.Join(", ", KnownActions.Order(StringComparer.Ordinal))}."];
        }
        CheckLength(actorUserId, "actorUserId", 40, errors);
        CheckLength(targetType, "targetType", 40, errors);
        CheckLength(targetId, "targetId", 200, errors);
        var fromTime = ParseTime(from, "from", errors);
        var toTime = ParseTime(to, "to", errors);
        if (fromTime is { } f && toTime is { } t && t <= f) errors["to"] = ["'to' must be later than 'from'."];

        filter = new AuditFilter(Blank(action), Blank(actorUserId), Blank(targetType), Blank(targetId), fromTime, toTime);
        return errors.Count == 0;
    }

    private static void CheckLength(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        if (value is not null && (value.Length == 0 || value.Length > max)) errors[field] = [$"'{field}' must be 1 to {max} characters."];
    }

    private static DateTimeOffset? ParseTime(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (DateTimeOffset.TryParseExact(value, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }
        // A '+' offset arrives as a space when the client forgot to URL-encode it.
        errors[field] = [$"'{field}' must be an ISO 8601 time such as 2025-01-31T18:30:00Z (URL-encode '+' in an offset as %2B)."];
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
