using System.Collections.Immutable;
using System.Net.Mail;
using PhoneNumbers;

namespace Flexoraa.Leads;

/// <summary>
/// The field rules of a lead, applied by <see cref="LeadGrain"/> to every create and patch so that no caller can store
/// what the API would refuse: lengths, an email that is an address (stored lower-cased, as matching needs), a phone that
/// is a real number (stored in E.164, read in the tenant's region when it has no country code), tags, custom fields and
/// consent. Errors name the REST field. The pipeline stage is the grain's (it needs the tenant's pipelines).
/// </summary>
public static class LeadRules
{
    public const int MaxTags = 50;
    public const int MaxTagLength = 64;
    public const int MaxCustomFields = 100;
    public const int MaxCustomFieldValueLength = 1000;
    public const string DefaultSource = "manual";

    public static readonly IReadOnlyList<string> ConsentChannels = ["whatsapp", "messenger", "instagram", "email", "sms", "phone"];

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The lead after <paramref name="changes"/> (a create starts from a blank lead). Stage fields are copied as given, to
    /// be checked by the grain; <paramref name="field"/> and <paramref name="error"/> name the first invalid field.
    /// </summary>
    public static bool TryApply(Lead current, LeadChanges changes, string region, out Lead next, out string field, out string error)
    {
        next = current;
        field = error = "";
        var errors = new List<(string Field, string Error)>();

        string? Text(string name, string? given, string? now, int max)
        {
            if (changes.Clears(name)) return null;
            if (given is null) return now;
            var trimmed = given.Trim();
            if (trimmed.Length == 0) return null;
            if (trimmed.Length > max) errors.Add((name, $"'{name}' is at most {max} characters."));
            return trimmed;
        }

        var firstName = Text("firstName", changes.FirstName, current.FirstName, 100);
        var lastName = Text("lastName", changes.LastName, current.LastName, 100);
        var company = Text("company", changes.Company, current.Company, 200);
        var title = Text("title", changes.Title, current.Title, 200);
        var displayName = Text("displayName", changes.DisplayName, current.DisplayName, 200);
        var lostReason = Text("lostReason", changes.LostReason, current.LostReason, 500);
        var source = Text("source", changes.Source, current.Source, 32) ?? DefaultSource;

        var email = current.Email;
        if (changes.Clears("email")) email = null;
        else if (changes.Email is { } givenEmail)
        {
            email = NormalizeEmail(givenEmail);
            if (email is null) errors.Add(("email", $"'{Shorten(givenEmail)}' is not an email address."));
        }

        var phone = current.Phone;
        if (changes.Clears("phone")) phone = null;
        else if (changes.Phone is { } givenPhone)
        {
            phone = NormalizePhone(givenPhone, region);
            if (phone is null) errors.Add(("phone", $"'{Shorten(givenPhone)}' is not a valid phone number (read in region {region} when it has no +country code)."));
        }

        var tags = current.Tags;
        if (changes.Clears("tags")) tags = [];
        else if (changes.Tags is { } givenTags)
        {
            var cleaned = (givenTags.IsDefault ? [] : givenTags).Select(t => t?.Trim() ?? "").ToList();
            if (cleaned.Count > MaxTags) errors.Add(("tags", $"A lead has at most {MaxTags} tags."));
            else if (cleaned.Any(t => t.Length is 0 or > MaxTagLength)) errors.Add(("tags", $"Each tag has 1 to {MaxTagLength} characters."));
            tags = [.. cleaned.Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        var owner = changes.Clears("ownerUserId") ? null : changes.OwnerUserId?.Trim() ?? current.OwnerUserId;
        if (owner is { Length: 0 or > 40 }) errors.Add(("ownerUserId", "'ownerUserId' must be a user id, or null for nobody."));

        var custom = current.CustomFields;
        if (changes.Clears("customFields")) custom = ImmutableDictionary<string, string>.Empty;
        else if (changes.CustomFields is { } givenCustom)
        {
            var builder = custom.ToBuilder();
            foreach (var (key, value) in givenCustom)
            {
                if (!IsFieldKey(key)) errors.Add(($"customFields.{Shorten(key)}", "A custom field key has 1 to 64 letters, digits, '_' or '-'."));
                else if (value is null) builder.Remove(key);
                else if (value.Length > MaxCustomFieldValueLength) errors.Add(($"customFields.{key}", $"A custom field value is at most {MaxCustomFieldValueLength} characters."));
                else builder[key] = value;
            }
            if (builder.Count > MaxCustomFields) errors.Add(("customFields", $"A lead has at most {MaxCustomFields} custom fields."));
            custom = builder.ToImmutable();
        }

        var consent = current.Consent;
        if (changes.Clears("consent")) consent = ImmutableDictionary<string, LeadConsentStatus>.Empty;
        else if (changes.Consent is { } givenConsent)
        {
            var builder = consent.ToBuilder();
            foreach (var (channel, status) in givenConsent)
            {
                if (!ConsentChannels.Contains(channel)) errors.Add(($"consent.{Shorten(channel)}", $"Consent is kept per channel: {string.Join(", ", ConsentChannels)}."));
                else if (status is { } set) builder[channel] = set;
                else builder.Remove(channel);
            }
            consent = builder.ToImmutable();
        }

        var wonValue = changes.Clears("wonValue") ? null : changes.WonValue ?? current.WonValue;
        if (wonValue is < 0) errors.Add(("wonValue", "'wonValue' is an amount in the smallest currency unit (paise), 0 or more."));
        var wonCurrency = changes.Clears("wonCurrency") ? null : changes.WonCurrency?.Trim().ToUpperInvariant() ?? current.WonCurrency;
        if (wonCurrency is not null && (wonCurrency.Length != 3 || !wonCurrency.All(char.IsAsciiLetter)))
        {
            errors.Add(("wonCurrency", "'wonCurrency' must be an ISO 4217 code such as INR or USD."));
        }

        if (errors.Count > 0)
        {
            (field, error) = errors[0];
            return false;
        }

        // A name the user never chose follows the fields it is made of; one they chose stays.
        var chosenName = changes.DisplayName is not null || (!changes.Clears("displayName") && current.DisplayName != DerivedName(current));
        if (!chosenName || displayName is null) displayName = DerivedName(firstName, lastName, company, email, phone) ?? displayName;

        next = current with
        {
            FirstName = firstName, LastName = lastName, DisplayName = displayName, Company = company, Title = title,
            Email = email, Phone = phone, Source = source, Tags = tags, OwnerUserId = owner,
            PipelineId = changes.Clears("pipelineId") ? null : changes.PipelineId?.Trim() ?? current.PipelineId,
            StageId = changes.Clears("stageId") ? null : changes.StageId?.Trim() ?? current.StageId,
            CustomFields = custom, Consent = consent, WonValue = wonValue, WonCurrency = wonCurrency, LostReason = lostReason,
        };
        return true;
    }

    /// <summary>The REST names of the fields that differ between two versions of a lead.</summary>
    public static ImmutableArray<string> ChangedFields(Lead before, Lead after)
    {
        var fields = ImmutableArray.CreateBuilder<string>();
        void Compare<T>(string name, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b)) fields.Add(name);
        }
        Compare("firstName", before.FirstName, after.FirstName);
        Compare("lastName", before.LastName, after.LastName);
        Compare("displayName", before.DisplayName, after.DisplayName);
        Compare("company", before.Company, after.Company);
        Compare("title", before.Title, after.Title);
        Compare("email", before.Email, after.Email);
        Compare("phone", before.Phone, after.Phone);
        Compare("source", before.Source, after.Source);
        if (!before.Tags.SequenceEqual(after.Tags)) fields.Add("tags");
        Compare("ownerUserId", before.OwnerUserId, after.OwnerUserId);
        Compare("pipelineId", before.PipelineId, after.PipelineId);
        Compare("stageId", before.StageId, after.StageId);
        if (!SameEntries(before.CustomFields, after.CustomFields)) fields.Add("customFields");
        if (!SameEntries(before.Consent, after.Consent)) fields.Add("consent");
        Compare("wonValue", before.WonValue, after.WonValue);
        Compare("wonCurrency", before.WonCurrency, after.WonCurrency);
        Compare("lostReason", before.LostReason, after.LostReason);
        return fields.ToImmutable();
    }

    public static string? NormalizeEmail(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length is 0 or > 254 || trimmed.Any(char.IsWhiteSpace)) return null;
        if (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || address.DisplayName.Length > 0) return null;
        var at = trimmed.LastIndexOf('@');
        var domain = trimmed[(at + 1)..];
        return at > 0 && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.') ? trimmed.ToLowerInvariant() : null;
    }

    /// <summary>E.164, or null when it is no valid number. A number without <c>+</c> is read as one of <paramref name="region"/>.</summary>
    public static string? NormalizePhone(string value, string region)
    {
        var trimmed = value.Trim();
        if (trimmed.Length is < 3 or > 40) return null;
        try
        {
            var number = Phones.Parse(trimmed, region.ToUpperInvariant());
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static string? DerivedName(Lead lead) => DerivedName(lead.FirstName, lead.LastName, lead.Company, lead.Email, lead.Phone);

    private static string? DerivedName(string? firstName, string? lastName, string? company, string? email, string? phone)
    {
        var person = string.Join(' ', new[] { firstName, lastName }.Where(n => n is { Length: > 0 }));
        var name = person.Length > 0 ? person : company ?? email ?? phone;
        return name is { Length: > 200 } ? name[..200] : name;
    }

    private static bool IsFieldKey(string key) => key is { Length: >= 1 and <= 64 } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static bool SameEntries<TValue>(ImmutableDictionary<string, TValue> a, ImmutableDictionary<string, TValue> b) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var other) && EqualityComparer<TValue>.Default.Equals(entry.Value, other));

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
