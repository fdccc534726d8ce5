using System.Collections.Immutable;

namespace Flexoraa.Conversations;

/// <summary>
/// Tags are compared as typed by people ("VIP ", "vip"), so they are stored trimmed and lower-case, once each, in the
/// order given. Bounded so a conversation row stays small and the GIN index cheap.
/// </summary>
public static class ConversationTags
{
    public const int MaxCount = 20;
    public const int MaxLength = 32;

    public static bool TryNormalize(IEnumerable<string?> tags, out ImmutableArray<string> normalized, out string? error)
    {
        var result = new List<string>();
        foreach (var raw in tags)
        {
            var tag = raw?.Trim().ToLowerInvariant() ?? "";
            if (tag.Length is 0 or > MaxLength)
            {
                normalized = default;
                error = $"Each tag must be 1 to {MaxLength} characters after trimming.";
                return false;
            }
            if (!result.Contains(tag, StringComparer.Ordinal)) result.Add(tag);
        }
        if (result.Count > MaxCount)
        {
            normalized = default;
            error = $"A conversation can have at most {MaxCount} tags.";
            return false;
        }
        normalized = [.. result];
        error = null;
        return true;
    }
}
