using System.Collections.Immutable;
using System.Globalization;

namespace Flexoraa.Leads.Fields;

/// <summary>
/// Checks the <c>customFields</c> of a lead change against the tenant's definitions and spells each value canonically:
/// a number in invariant culture without trailing zeros, a date as <c>yyyy-MM-dd</c>, a boolean as <c>true</c>/<c>false</c>,
/// a single-select choice as its option is written. So <c>field.budget=5</c> finds a lead saved with <c>5.00</c>.
/// <para>
/// A tenant without definitions keeps free text under any key (as imports with <c>custom:&lt;key&gt;</c> columns wrote it
/// before definitions existed). Once it has one, a key it has not defined is refused: a typo would otherwise become a
/// field of its own. Removing a value (null) is always allowed, so a lead can drop a value whose definition was deleted.
/// </para>
/// </summary>
public static class CustomFieldValues
{
    public static bool IsKey(string key) => key is { Length: >= 1 and <= 64 } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>The values in canonical form, or the first wrong one as <c>customFields.&lt;key&gt;</c> and why.</summary>
    public static bool TryNormalize(ImmutableDictionary<string, string?> given, ImmutableArray<LeadFieldDefinition> definitions,
        out ImmutableDictionary<string, string?> normalized, out string field, out string error)
    {
        normalized = given;
        field = error = "";
        if (definitions.IsDefaultOrEmpty) return true;
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        foreach (var (key, value) in given)
        {
            if (value is null)
            {
                builder[key] = null;
                continue;
            }
            var definition = definitions.FirstOrDefault(d => d.Key == key);
            if (definition is null)
            {
                field = $"customFields.{(key.Length > 40 ? key[..40] + "…" : key)}";
                error = $"The tenant has no custom field '{key}'; its fields are {string.Join(", ", definitions.Select(d => d.Key))} (define more at /api/v1/lead-fields).";
                return false;
            }
            if (TryValue(definition, value) is not { } canonical)
            {
                field = $"customFields.{key}";
                error = Expected(definition);
                return false;
            }
            builder[key] = canonical;
        }
        normalized = builder.ToImmutable();
        return true;
    }

    /// <summary>The canonical spelling of <paramref name="value"/> for the field, or null when it is not one of its values.</summary>
    public static string? TryValue(LeadFieldDefinition definition, string value)
    {
        var trimmed = value.Trim();
        switch (definition.Type)
        {
            case LeadFieldType.Text:
                return value;
            case LeadFieldType.Number:
                return decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
                    ? (number / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture)
                    : null;
            case LeadFieldType.Date:
                return DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : null;
            case LeadFieldType.Boolean:
                return trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) ? "true"
                    : trimmed.Equals("false", StringComparison.OrdinalIgnoreCase) ? "false"
                    : null;
            case LeadFieldType.SingleSelect:
                return definition.Options.FirstOrDefault(o => o.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
            default:
                return null;
        }
    }

    public static string Expected(LeadFieldDefinition definition) => definition.Type switch
    {
        LeadFieldType.Number => $"'{definition.Key}' is a number, such as 42 or 12.5.",
        LeadFieldType.Date => $"'{definition.Key}' is a date written yyyy-MM-dd, such as 2026-01-31.",
        LeadFieldType.Boolean => $"'{definition.Key}' is true or false.",
        LeadFieldType.SingleSelect => $"'{definition.Key}' is one of: {string.Join(", ", definition.Options)}.",
        _ => $"'{definition.Key}' is text.",
    };
}
