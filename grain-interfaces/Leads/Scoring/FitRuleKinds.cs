namespace Flexoraa.Leads.Scoring;

/// <summary>The kinds of <see cref="FitRule"/>, as the REST API spells them, and what each needs.</summary>
public static class FitRuleKinds
{
    /// <summary>The title contains <c>value</c>, case-insensitive.</summary>
    public const string TitleContains = "titleContains";
    /// <summary>Custom field <c>field</c> equals <c>value</c>, case-insensitive.</summary>
    public const string CustomFieldEquals = "customFieldEquals";
    /// <summary>Custom field <c>field</c> is a number at least <c>number</c>.</summary>
    public const string CustomFieldAtLeast = "customFieldAtLeast";
    /// <summary>The e-mail's domain is a free mail provider (gmail.com, yahoo.com, …: a built-in list).</summary>
    public const string FreeMailDomain = "freeMailDomain";
    /// <summary>The e-mail's domain is one of <c>values</c>.</summary>
    public const string EmailDomainIn = "emailDomainIn";
    /// <summary>The lead has a company.</summary>
    public const string CompanyPresent = "companyPresent";
    /// <summary>The source equals <c>value</c>.</summary>
    public const string SourceEquals = "sourceEquals";
    /// <summary>The lead carries tag <c>value</c>, case-insensitive.</summary>
    public const string TagPresent = "tagPresent";
    /// <summary>The phone's country (ISO 3166 code from its E.164 prefix) is one of <c>values</c>.</summary>
    public const string PhoneCountryIn = "phoneCountryIn";

    public static IReadOnlyList<string> All { get; } =
        [TitleContains, CustomFieldEquals, CustomFieldAtLeast, FreeMailDomain, EmailDomainIn, CompanyPresent, SourceEquals, TagPresent, PhoneCountryIn];
}
