namespace Flexoraa.FrontendApi.Platform;

/// <summary>
/// Text that no field of this API may carry: U+0000 (PostgreSQL's text types refuse it, so it would fail deep in a query)
/// and lone UTF-16 surrogates (not Unicode at all: they cannot be stored, encoded to UTF-8 or sent to a channel).
/// </summary>
public static class UnsafeText
{
    /// <summary>Why the value is refused, or null when it is fine.</summary>
    public static string? Problem(string? value)
    {
        if (value is null) return null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') return "must not contain the NUL character (U+0000).";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return "must not contain a lone UTF-16 surrogate; send valid Unicode.";
        }
        return null;
    }
}
