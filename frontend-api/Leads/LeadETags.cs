using Microsoft.Extensions.Primitives;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>
/// A lead's ETag is its version, quoted (<c>"7"</c>). A write names the version it was made against in
/// <c>If-Match</c>; <c>*</c> means "whatever the current version is", an explicit choice to overwrite.
/// </summary>
public static class LeadETags
{
    public static string Of(long version) => $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// What <c>If-Match</c> asks: absent (<paramref name="present"/> false), any version (<c>*</c>: null), or one version.
    /// A value that is no ETag of ours matches no version (-1), so the write is refused with 412 rather than applied.
    /// </summary>
    public static long? Expected(StringValues ifMatch, out bool present)
    {
        present = !StringValues.IsNullOrEmpty(ifMatch);
        if (!present) return null;
        var value = ifMatch.ToString().Trim();
        if (value == "*") return null;
        return value.Length > 2 && value[0] == '"' && value[^1] == '"'
               && long.TryParse(value.AsSpan(1, value.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }
}
