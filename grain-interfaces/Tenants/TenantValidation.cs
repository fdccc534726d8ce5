using System.Globalization;

namespace Flexoraa.Tenants;

/// <summary>
/// The rules a tenant's profile and settings obey. The API uses them to name the offending field in a 400;
/// the grain uses them again so that no caller can store what the API would refuse.
/// Keys are camelCase JSON paths, as a client sees them.
/// </summary>
public static class TenantValidation
{
    public const int MaxNameLength = 120;

    public static Dictionary<string, string[]> Validate(TenantProfile profile)
    {
        var errors = new Dictionary<string, string[]>();
        CheckName(profile.Name, errors);
        CheckOptional(profile.Website, "website", CheckWebsite, errors);
        CheckOptional(profile.Industry, "industry", v => v.Length <= 80 ? null : "Industry is at most 80 characters.", errors);
        Check(profile.Country, "country", CheckCountry, errors);
        Check(profile.Currency, "currency", CheckCurrency, errors);
        Check(profile.TimeZone, "timeZone", CheckTimeZone, errors);
        Check(profile.Locale, "locale", CheckLocale, errors);
        return errors;
    }

    public static Dictionary<string, string[]> Validate(TenantChanges changes)
    {
        var errors = new Dictionary<string, string[]>();
        if (changes.Name is not null) CheckName(changes.Name, errors);
        CheckOptional(changes.Website, "website", CheckWebsite, errors);
        CheckOptional(changes.Industry, "industry", v => v.Length <= 80 ? null : "Industry is at most 80 characters.", errors);
        CheckOptional(changes.Country, "country", CheckCountry, errors);
        CheckOptional(changes.Currency, "currency", CheckCurrency, errors);
        CheckOptional(changes.TimeZone, "timeZone", CheckTimeZone, errors);
        CheckOptional(changes.Locale, "locale", CheckLocale, errors);
        CheckOptional(changes.DefaultRegion, "defaultRegion", v => CheckCountry(v) is null ? null : "The default region must be an ISO 3166-1 alpha-2 code such as IN or US.", errors);
        if (changes.BusinessHours is { } hours) CheckBusinessHours(hours, errors);
        if (changes.Ai is { } ai) CheckAi(ai, errors);
        if (changes.AutoAssignment is { DefaultCapacity: < 0 or > AutoAssignmentSettings.MaxCapacity })
        {
            errors["autoAssignment.defaultCapacity"] = [$"The default capacity is 0 to {AutoAssignmentSettings.MaxCapacity} open conversations per agent."];
        }
        if (changes.SearchLanguage is { } language && !SearchLanguages.TryNormalize(language, out _))
        {
            errors["searchLanguage"] = [$"'{language}' is not a search language. Use one of: {SearchLanguages.Choices} (simple: exact words, no stemming)."];
        }
        return errors;
    }

    private static void CheckName(string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name)) errors["name"] = ["Name is required."];
        else if (name.Trim().Length > MaxNameLength) errors["name"] = [$"Name is at most {MaxNameLength} characters."];
    }

    private static string? CheckWebsite(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? null
            : "Website must be an absolute http or https URL.";

    private static string? CheckCountry(string value) =>
        value.Length == 2 && value.All(char.IsAsciiLetter) && IsKnownRegion(value)
            ? null
            : "Country must be an ISO 3166-1 alpha-2 code such as IN or US.";

    private static bool IsKnownRegion(string code)
    {
        try
        {
            _ = new RegionInfo(code.ToUpperInvariant());
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? CheckCurrency(string value) =>
        value.Length == 3 && value.All(char.IsAsciiLetter) ? null : "Currency must be an ISO 4217 code such as INR or USD.";

    private static string? CheckTimeZone(string value) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(value, out _) ? null : $"'{value}' is not a known IANA time zone such as Asia/Kolkata.";

    private static string? CheckLocale(string value)
    {
        try
        {
            return CultureInfo.GetCultureInfo(value, predefinedOnly: true).Name.Length > 0 ? null : "Locale must be a culture name such as en-IN.";
        }
        catch (CultureNotFoundException)
        {
            return $"'{value}' is not a known locale such as en-IN.";
        }
    }

    private static void CheckBusinessHours(BusinessHours hours, Dictionary<string, string[]> errors)
    {
        var windows = hours.Windows.IsDefault ? [] : hours.Windows;
        for (var i = 0; i < windows.Length; i++)
        {
            var w = windows[i];
            // JSON can put null where a window belongs; the array's element type cannot say so.
            if (w is null)
            {
                errors[$"businessHours.windows[{i}]"] = ["A window is an object with day, opens and closes."];
                continue;
            }
            if (!Enum.IsDefined(w.Day)) errors[$"businessHours.windows[{i}].day"] = ["Day must be a weekday name."];
            if (w.Closes <= w.Opens) errors[$"businessHours.windows[{i}].closes"] = ["A window must close after it opens."];
        }
        if (hours.Enabled && windows.Length == 0) errors["businessHours.windows"] = ["Enabled business hours need at least one window."];
        if (hours.AwayMessage is { Length: > 1000 }) errors["businessHours.awayMessage"] = ["The away message is at most 1000 characters."];
    }

    private static void CheckAi(AiReplySettings ai, Dictionary<string, string[]> errors)
    {
        if (!Enum.IsDefined(ai.Mode)) errors["ai.mode"] = ["Mode must be off, suggest or auto."];
        if (ai.Persona is { Length: > 2000 }) errors["ai.persona"] = ["The persona is at most 2000 characters."];
        var keywords = ai.HandoffKeywords.IsDefault ? [] : ai.HandoffKeywords;
        if (keywords.Length > 50) errors["ai.handoffKeywords"] = ["At most 50 hand-off keywords."];
        else if (keywords.Any(k => string.IsNullOrWhiteSpace(k) || k.Length > 60)) errors["ai.handoffKeywords"] = ["Each keyword has 1 to 60 characters."];
    }

    private static void Check(string? value, string field, Func<string, string?> rule, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"{char.ToUpperInvariant(field[0])}{field[1..]} is required."];
            return;
        }
        CheckOptional(value, field, rule, errors);
    }

    private static void CheckOptional(string? value, string field, Func<string, string?> rule, Dictionary<string, string[]> errors)
    {
        if (value is null) return;
        if (rule(value) is { } message) errors[field] = [message];
    }
}
