using Flexoraa.Api;

namespace Flexoraa.Leads.Scoring;

/// <summary>
/// What a tenant's scoring rules must be before they are saved; the first problem is named by its path in the JSON
/// (<c>fit[2].value</c>, <c>automations[0].minTotal</c>), so the console can point at the rule. Whether an automation's
/// stage exists is the grain's to check (it needs the pipelines).
/// </summary>
public static class ScoringRulesCheck
{
    public const int MaxFitRules = 100;
    public const int MaxAutomations = 10;
    public const int MaxPoints = 100;
    public const int MaxValues = 100;
    public const double MinHalfLifeDays = 0.5;
    public const double MaxHalfLifeDays = 365;

    public static IReadOnlyList<string> EngagementEvents { get; } = [.. Enum.GetValues<EngagementKind>().Select(k => ApiJson.NameOf(k))];

    public static bool TryNormalize(ScoringRules given, out ScoringRules rules, out string path, out string error)
    {
        rules = given;
        (path, error) = FirstProblem(given);
        if (path.Length > 0) return false;
        rules = given with
        {
            Fit = [.. given.Fit.Select(r => r with
            {
                Kind = r.Kind.Trim(), Field = r.Field?.Trim(), Value = r.Value?.Trim(),
                Values = r.Values?.Select(v => r.Kind.Trim() == FitRuleKinds.PhoneCountryIn ? v.Trim().ToUpperInvariant() : v.Trim().ToLowerInvariant()).ToArray(),
            })],
            Engagement = [.. given.Engagement.Select(r => r with { Event = r.Event.Trim() })],
            Automations = given.Automations.IsDefault ? [] : [.. given.Automations.Select(a => a with { StageId = a.StageId.Trim() })],
        };
        return true;
    }

    private static (string Path, string Error) FirstProblem(ScoringRules rules)
    {
        if (rules.Fit.IsDefault) return ("fit", "'fit' is a list of rules (empty for none).");
        if (rules.Fit.Length > MaxFitRules) return ("fit", $"At most {MaxFitRules} fit rules.");
        for (var i = 0; i < rules.Fit.Length; i++)
        {
            if (FitProblem(rules.Fit[i]) is ({ } field, { } why)) return ($"fit[{i}]{field}", why);
        }
        if (rules.Engagement.IsDefault) return ("engagement", "'engagement' is a list of rules (empty for none).");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Engagement.Length; i++)
        {
            var rule = rules.Engagement[i];
            if (rule is null) return ($"engagement[{i}]", "A rule is an object.");
            var name = rule.Event?.Trim();
            if (name is null || !EngagementEvents.Contains(name)) return ($"engagement[{i}].event", $"'event' is one of: {string.Join(", ", EngagementEvents)}.");
            if (!seen.Add(name)) return ($"engagement[{i}].event", $"'{name}' has a rule already; give each event one rule.");
            if (Math.Abs(rule.Points) > MaxPoints) return ($"engagement[{i}].points", $"'points' is -{MaxPoints} to {MaxPoints}.");
        }
        if (double.IsNaN(rules.HalfLifeDays) || rules.HalfLifeDays is < MinHalfLifeDays or > MaxHalfLifeDays)
        {
            return ("halfLifeDays", $"'halfLifeDays' is {MinHalfLifeDays} to {MaxHalfLifeDays}: how many days until an event counts half.");
        }
        if (rules.FitMax is < 0 or > 100) return ("fitMax", "'fitMax' caps the fit group: 0 to 100.");
        if (rules.EngagementMax is < 0 or > 100) return ("engagementMax", "'engagementMax' caps the engagement group: 0 to 100.");
        if (rules.Grades is not { } grades) return ("grades", "'grades' needs the lowest total of a, b and c.");
        if (grades.C is < 1 or > 100) return ("grades.c", "'c' is 1 to 100.");
        if (grades.B <= grades.C || grades.B > 100) return ("grades.b", "'b' is above 'c' and at most 100.");
        if (grades.A <= grades.B || grades.A > 100) return ("grades.a", "'a' is above 'b' and at most 100.");
        var automations = rules.Automations.IsDefault ? [] : rules.Automations;
        if (automations.Length > MaxAutomations) return ("automations", $"At most {MaxAutomations} automations.");
        for (var i = 0; i < automations.Length; i++)
        {
            var automation = automations[i];
            if (automation is null) return ($"automations[{i}]", "An automation is an object.");
            if (automation.MinTotal is < 1 or > 100) return ($"automations[{i}].minTotal", "'minTotal' is a total of 1 to 100.");
            if (automation.StageId?.Trim() is not { Length: >= 1 and <= 40 }) return ($"automations[{i}].stageId", "'stageId' names the stage to move to.");
        }
        return ("", "");
    }

    private static (string? Field, string? Error) FitProblem(FitRule? rule)
    {
        if (rule is null) return ("", "A rule is an object.");
        var kind = rule.Kind?.Trim();
        if (kind is null || !FitRuleKinds.All.Contains(kind)) return (".kind", $"'kind' is one of: {string.Join(", ", FitRuleKinds.All)}.");
        if (Math.Abs(rule.Points) > MaxPoints) return (".points", $"'points' is -{MaxPoints} to {MaxPoints}.");
        var needsValue = kind is FitRuleKinds.TitleContains or FitRuleKinds.CustomFieldEquals or FitRuleKinds.SourceEquals or FitRuleKinds.TagPresent;
        var needsField = kind is FitRuleKinds.CustomFieldEquals or FitRuleKinds.CustomFieldAtLeast;
        var needsValues = kind is FitRuleKinds.EmailDomainIn or FitRuleKinds.PhoneCountryIn;
        if (needsValue && rule.Value?.Trim() is not { Length: >= 1 and <= 200 }) return (".value", $"A {kind} rule needs 'value' (1 to 200 characters).");
        if (needsField && rule.Field?.Trim() is not { Length: >= 1 and <= 64 }) return (".field", $"A {kind} rule needs 'field', the key of a custom field.");
        if (kind == FitRuleKinds.CustomFieldAtLeast && (rule.Number is not { } number || !double.IsFinite(number))) return (".number", "A customFieldAtLeast rule needs 'number'.");
        if (needsValues)
        {
            var values = rule.Values ?? [];
            if (values.Length is 0 or > MaxValues) return (".values", $"A {kind} rule needs 'values': 1 to {MaxValues} of them.");
            for (var v = 0; v < values.Length; v++)
            {
                var value = values[v]?.Trim();
                if (value is not { Length: >= 1 and <= 100 }) return ($".values[{v}]", "Each value has 1 to 100 characters.");
                if (kind == FitRuleKinds.PhoneCountryIn && (value.Length != 2 || !value.All(char.IsAsciiLetter))) return ($".values[{v}]", $"'{value}' is no ISO 3166 country code such as IN or AE.");
            }
        }
        return (null, null);
    }
}
