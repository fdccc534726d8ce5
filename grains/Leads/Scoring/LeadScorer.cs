using System.Collections.Immutable;
using System.Globalization;
using Flexoraa.Api;
using PhoneNumbers;

namespace Flexoraa.Leads.Scoring;

/// <summary>
/// Computes a lead's score under a tenant's rules, as of a moment: the fit rules that hold on its fields, every
/// engagement event a rule gives points for, decayed by the half-life (an event one half-life old counts half), each
/// group capped, the total clamped to 0..100 and graded. Pure, so the grain, the import and the preview score the same
/// way, and a test can move the clock.
/// </summary>
public static class LeadScorer
{
    /// <summary>Events older than this many half-lives are worth less than 0.1% of their points: the lead forgets them.</summary>
    public const int ForgetAfterHalfLives = 10;
    /// <summary>The most events a lead keeps for decay; the oldest go first.</summary>
    public const int MaxEvents = 200;

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static LeadScoreBreakdown Evaluate(Lead lead, IReadOnlyList<LeadEngagement> events, ScoringRules rules, DateTimeOffset now)
    {
        var fitItems = ImmutableArray.CreateBuilder<ScoreItem>();
        for (var i = 0; i < rules.Fit.Length; i++)
        {
            var rule = rules.Fit[i];
            if (rule.Points != 0 && Holds(rule, lead)) fitItems.Add(new ScoreItem($"fit[{i}]", Describe(rule), rule.Points, rule.Points));
        }

        var engagementItems = ImmutableArray.CreateBuilder<ScoreItem>();
        var halfLife = TimeSpan.FromDays(rules.HalfLifeDays);
        foreach (var engagement in events.OrderByDescending(e => e.OccurredAt))
        {
            var name = ApiJson.NameOf(engagement.Kind);
            var index = rules.Engagement.IndexOf(rules.Engagement.FirstOrDefault(r => r.Event == name)!);
            if (index < 0 || rules.Engagement[index].Points == 0) continue;
            var points = rules.Engagement[index].Points;
            engagementItems.Add(new ScoreItem($"engagement[{index}]", $"{name} +{points}", points, Decayed(points, engagement.OccurredAt, now, halfLife),
                name, engagement.OccurredAt, engagement.Reference));
        }

        var fit = Group(fitItems.ToImmutable(), rules.FitMax);
        var engagementGroup = Group(engagementItems.ToImmutable(), rules.EngagementMax);
        var total = Math.Clamp(fit.Points + engagementGroup.Points, 0, 100);
        return new LeadScoreBreakdown(total, rules.Grades.Of(total), fit, engagementGroup, rules.Version, rules.HalfLifeDays, now);
    }

    /// <summary>What is left of <paramref name="points"/> after the time since <paramref name="at"/>; an event ahead of now (a booked meeting) has not decayed.</summary>
    public static double Decayed(double points, DateTimeOffset at, DateTimeOffset now, TimeSpan halfLife)
    {
        var age = now - at;
        if (age <= TimeSpan.Zero) return points;
        return points * Math.Pow(0.5, age / halfLife);
    }

    /// <summary>The events worth keeping: not yet forgotten, the newest <see cref="MaxEvents"/>.</summary>
    public static ImmutableArray<LeadEngagement> Retained(IEnumerable<LeadEngagement> events, ScoringRules rules, DateTimeOffset now)
    {
        var horizon = now - TimeSpan.FromDays(rules.HalfLifeDays * ForgetAfterHalfLives);
        return [.. events.Where(e => e.OccurredAt >= horizon).OrderByDescending(e => e.OccurredAt).Take(MaxEvents).OrderBy(e => e.OccurredAt)];
    }

    /// <summary>Whether a fit rule holds on the lead; only fields that <see cref="ScoringRulesCheck"/> made sure of are read.</summary>
    public static bool Holds(FitRule rule, Lead lead)
    {
        switch (rule.Kind)
        {
            case FitRuleKinds.TitleContains:
                return lead.Title is { } title && title.Contains(rule.Value!, StringComparison.OrdinalIgnoreCase);
            case FitRuleKinds.CustomFieldEquals:
                return lead.CustomFields.TryGetValue(rule.Field!, out var text) && string.Equals(text.Trim(), rule.Value, StringComparison.OrdinalIgnoreCase);
            case FitRuleKinds.CustomFieldAtLeast:
                return lead.CustomFields.TryGetValue(rule.Field!, out var number)
                    && double.TryParse(number.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= rule.Number;
            case FitRuleKinds.FreeMailDomain:
                return FreeMailDomains.Contains(lead.Email);
            case FitRuleKinds.EmailDomainIn:
                return FreeMailDomains.DomainOf(lead.Email) is { } domain && (rule.Values ?? []).Contains(domain, StringComparer.OrdinalIgnoreCase);
            case FitRuleKinds.CompanyPresent:
                return !string.IsNullOrWhiteSpace(lead.Company);
            case FitRuleKinds.SourceEquals:
                return string.Equals(lead.Source, rule.Value, StringComparison.OrdinalIgnoreCase);
            case FitRuleKinds.TagPresent:
                return lead.Tags.Contains(rule.Value!, StringComparer.OrdinalIgnoreCase);
            case FitRuleKinds.PhoneCountryIn:
                return PhoneCountry(lead.Phone) is { } country && (rule.Values ?? []).Contains(country, StringComparer.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    /// <summary>The ISO 3166 region of an E.164 number, from its country calling code (and, where one code serves many, its number plan).</summary>
    public static string? PhoneCountry(string? e164)
    {
        if (e164 is null) return null;
        try
        {
            var region = Phones.GetRegionCodeForNumber(Phones.Parse(e164, null));
            return region is null or "ZZ" ? null : region;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    public static string Describe(FitRule rule)
    {
        var points = rule.Points > 0 ? $"+{rule.Points}" : rule.Points.ToString(CultureInfo.InvariantCulture);
        var what = rule.Kind switch
        {
            FitRuleKinds.TitleContains => $"title contains '{rule.Value}'",
            FitRuleKinds.CustomFieldEquals => $"{rule.Field} is '{rule.Value}'",
            FitRuleKinds.CustomFieldAtLeast => $"{rule.Field} >= {rule.Number?.ToString(CultureInfo.InvariantCulture)}",
            FitRuleKinds.FreeMailDomain => "e-mail at a free mail provider",
            FitRuleKinds.EmailDomainIn => $"e-mail domain in {string.Join(", ", rule.Values ?? [])}",
            FitRuleKinds.CompanyPresent => "has a company",
            FitRuleKinds.SourceEquals => $"source is '{rule.Value}'",
            FitRuleKinds.TagPresent => $"tagged '{rule.Value}'",
            FitRuleKinds.PhoneCountryIn => $"phone country in {string.Join(", ", rule.Values ?? [])}",
            _ => rule.Kind,
        };
        return $"{what} {points}";
    }

    private static ScoreGroup Group(ImmutableArray<ScoreItem> items, int cap)
    {
        var raw = items.Sum(i => i.PointsNow);
        return new ScoreGroup((int)Math.Round(Math.Min(raw, cap), MidpointRounding.AwayFromZero), Math.Round(raw, 2), cap, items);
    }
}
