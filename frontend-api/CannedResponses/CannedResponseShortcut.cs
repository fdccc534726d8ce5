namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>
/// Shortcut rules: lower-case letters, digits, '-' and '_', 1 to 32 characters. Input is lower-cased and may start with the
/// '/' the composer shows, so "/Greet" and "greet" name the same response and uniqueness is case-insensitive.
/// </summary>
public static class CannedResponseShortcut
{
    public const int MaxLength = 32;

    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.StartsWith('/')) trimmed = trimmed[1..];
        return trimmed.ToLowerInvariant();
    }

    public static bool IsValid(string normalized) =>
        normalized.Length is >= 1 and <= MaxLength && normalized.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    public const string Rule = "A shortcut is 1 to 32 lower-case letters, digits, '-' or '_'.";
}
