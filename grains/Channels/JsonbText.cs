using System.Globalization;
using System.Text;

namespace Flexoraa.Channels;

/// <summary>
/// Makes JSON text acceptable to PostgreSQL <c>jsonb</c>, which rejects two escapes that JSON itself allows:
/// <c>\u0000</c> (22P05) and a <c>\uD8xx</c>/<c>\uDCxx</c> half of a surrogate pair without its other half (22P02).
/// Each such escape gets its backslash escaped, so the stored string shows the six characters Meta sent
/// (<c>"\u0000"</c> reads back as the text <c>\u0000</c>) and nothing else in the document changes.
/// <para>
/// Why escaped JSON and not a <c>bytea</c> column: the raw payload stays queryable with jsonb operators by operators
/// replaying dead letters and by the API, and the escaping is lossless for people reading it; the signature was
/// already checked over the exact bytes, so nothing needs them again.
/// </para>
/// </summary>
public static class JsonbText
{
    /// <summary>The JSON with the escapes jsonb rejects neutralised; the same instance when there were none. Idempotent.</summary>
    public static string Escape(string json)
    {
        StringBuilder? escaped = null;
        var copiedUpTo = 0;
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\' || i + 1 >= json.Length) continue;
            if (json[i + 1] != 'u' || !TryReadUnit(json, i, out var unit))
            {
                i++; // another escape (\\, \", \n...): its second character is not the start of anything
                continue;
            }

            var isPairStart = char.IsHighSurrogate(unit) && TryReadUnit(json, i + 6, out var next) && char.IsLowSurrogate(next);
            if (isPairStart)
            {
                i += 11; // both halves of a valid pair stay as they are
                continue;
            }
            if (unit == '\0' || char.IsSurrogate(unit))
            {
                escaped ??= new StringBuilder(json.Length + 16);
                escaped.Append(json, copiedUpTo, i - copiedUpTo).Append('\\');
                copiedUpTo = i;
            }
            i += 5;
        }
        if (escaped is null) return json;
        return escaped.Append(json, copiedUpTo, json.Length - copiedUpTo).ToString();
    }

    private static bool TryReadUnit(string json, int backslash, out char unit)
    {
        unit = '\0';
        if (backslash + 6 > json.Length || json[backslash] != '\\' || json[backslash + 1] != 'u') return false;
        if (!ushort.TryParse(json.AsSpan(backslash + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return false;
        unit = (char)value;
        return true;
    }
}
