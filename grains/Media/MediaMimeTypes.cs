namespace Flexoraa.Media;

/// <summary>Matching media types against the allowed list, and which types a browser may show inline.</summary>
public static class MediaMimeTypes
{
    public const string Fallback = "application/octet-stream";

    // Raster images, video and audio cannot run script; anything else (SVG, PDF, office files) is served as a download.
    private static readonly HashSet<string> InlineImages = new(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/png", "image/gif", "image/webp" };

    /// <summary>The type without parameters, lower case: <c>audio/ogg; codecs=opus</c> → <c>audio/ogg</c>.</summary>
    public static string BaseType(string mimeType)
    {
        var semicolon = mimeType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? mimeType : mimeType[..semicolon]).Trim().ToLowerInvariant();
    }

    public static bool IsAllowed(string mimeType, IEnumerable<string> patterns)
    {
        var type = BaseType(mimeType);
        if (type.Length == 0 || !type.Contains('/', StringComparison.Ordinal)) return false;
        foreach (var raw in patterns)
        {
            var pattern = raw.Trim().ToLowerInvariant();
            if (pattern.EndsWith('*') ? type.StartsWith(pattern[..^1], StringComparison.Ordinal) : type == pattern) return true;
        }
        return false;
    }

    public static bool IsInline(string mimeType)
    {
        var type = BaseType(mimeType);
        return InlineImages.Contains(type) || type.StartsWith("video/", StringComparison.Ordinal) || type.StartsWith("audio/", StringComparison.Ordinal);
    }
}
