using System.Collections.Immutable;
using Flexoraa.Leads;
using Flexoraa.Leads.Fields;

namespace Flexoraa.FrontendApi.Leads.Fields;

/// <summary>
/// The <c>field.&lt;key&gt;=value</c> parameters of the lead list (and of a bulk action by filter): each value is spelt
/// the way the lead stores it, so <c>field.budget=5.0</c> finds a number saved as <c>5</c> and <c>field.vip=TRUE</c> a
/// boolean. A key the tenant has not defined is refused once it has definitions, as a lead change refuses it.
/// </summary>
public static class CustomFieldFilter
{
    public const string Prefix = "field.";
    public const int MaxFilters = 10;

    public static ImmutableDictionary<string, string> Parse(IEnumerable<KeyValuePair<string, string>> query, ImmutableArray<LeadFieldDefinition> definitions,
        Dictionary<string, string[]> errors)
    {
        var filters = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var (name, value) in query)
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var key = name[Prefix.Length..];
            if (!CustomFieldValues.IsKey(key))
            {
                errors[name] = ["A custom field filter is field.<key>=value, with a key of 1 to 64 letters, digits, '_' or '-'."];
                continue;
            }
            if (value.Length is 0 or > LeadRules.MaxCustomFieldValueLength)
            {
                errors[name] = [$"'{name}' must be 1 to {LeadRules.MaxCustomFieldValueLength} characters."];
                continue;
            }
            var definition = definitions.FirstOrDefault(d => d.Key == key);
            if (definition is null && !definitions.IsDefaultOrEmpty)
            {
                errors[name] = [$"The tenant has no custom field '{key}'; its fields are {string.Join(", ", definitions.Select(d => d.Key))}."];
                continue;
            }
            var canonical = definition is null ? value : CustomFieldValues.TryValue(definition, value);
            if (canonical is null)
            {
                errors[name] = [CustomFieldValues.Expected(definition!)];
                continue;
            }
            filters[key] = canonical;
        }
        if (filters.Count > MaxFilters) errors[Prefix + "*"] = [$"At most {MaxFilters} custom field filters."];
        return filters.ToImmutable();
    }
}
