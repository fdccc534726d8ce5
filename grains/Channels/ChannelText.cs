using System.Text;

namespace Flexoraa.Channels;

/// <summary>
/// The one normalisation every string from a channel goes through before it is stored or shown. PostgreSQL's
/// <c>text</c> cannot hold U+0000 (error 22021) and UTF-8 cannot encode a lone surrogate, so either in a message would
/// make its write fail forever; both become U+FFFD, the character Unicode reserves for "something was here that could
/// not be represented". Everything else, including valid surrogate pairs (emoji), is left exactly as it was.
/// </summary>
public static class ChannelText
{
    public const char Replacement = '\uFFFD';

    /// <summary>The text with U+0000 and unpaired surrogates replaced by U+FFFD; the same instance when there were none.</summary>
    public static string Normalize(string text)
    {
        var firstBad = FirstUnstorable(text);
        if (firstBad < 0) return text;

        var normalized = new StringBuilder(text.Length);
        normalized.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                normalized.Append(c).Append(text[++i]);
            }
            else
            {
                normalized.Append(c == '\0' || char.IsSurrogate(c) ? Replacement : c);
            }
        }
        return normalized.ToString();
    }

    /// <summary><see cref="Normalize(string)"/> for optional fields.</summary>
    public static string? NormalizeOptional(string? text) => text is null ? null : Normalize(text);

    /// <summary>True when the text holds nothing <see cref="Normalize(string)"/> would replace.</summary>
    public static bool IsStorable(string text) => FirstUnstorable(text) < 0;

    /// <summary>
    /// At most <paramref name="maxLength"/> UTF-16 units, ending in "…" when something was cut, and never cutting an
    /// emoji's surrogate pair in half (which would create the very lone surrogate <see cref="Normalize(string)"/> removes).
    /// </summary>
    public static string Truncate(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (text.Length <= maxLength) return text;
        var keep = maxLength - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        return string.Concat(text.AsSpan(0, keep), "…");
    }

    private static int FirstUnstorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return i;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return i;
        }
        return -1;
    }
}
