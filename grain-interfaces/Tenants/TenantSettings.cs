using System.Collections.Immutable;

namespace Flexoraa.Tenants;

/// <summary>
/// The tenant's settings. <see cref="AutoAssignment"/>, <see cref="SearchLanguage"/> and <see cref="EarlierSearchLanguages"/>
/// were added later: state stored before them reads back null (or a default array), which <c>TenantGrain</c> replaces
/// with the defaults on activation. No parameter has a default value: the OpenAPI document's generator serializes them.
/// </summary>
/// <param name="DefaultRegion">
/// ISO 3166-1 alpha-2: how a lead's phone number without a country code is read; null means the tenant's country.
/// </param>
/// <param name="SearchLanguage">
/// The text search configuration new messages are indexed with (one of <see cref="SearchLanguages.All"/>); <c>simple</c>
/// (no stemming) unless the tenant chose one.
/// </param>
/// <param name="EarlierSearchLanguages">
/// The languages the tenant used before its current one: their rows keep the configuration they were indexed with, and
/// search queries them in it too, so a change of language never hides older messages. Kept by the grain, never set by a client.
/// </param>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] BusinessHours BusinessHours,
    [property: Id(1)] AiReplySettings Ai,
    [property: Id(2)] AutoAssignmentSettings AutoAssignment,
    [property: Id(3)] string? DefaultRegion,
    [property: Id(4)] string SearchLanguage,
    [property: Id(5)] ImmutableArray<string> EarlierSearchLanguages)
{
    public static TenantSettings Default { get; } = new(BusinessHours.Default, AiReplySettings.Default, AutoAssignmentSettings.Default, null, SearchLanguages.Simple, []);

    /// <summary>Every configuration the tenant's rows may be indexed with: the current one, the earlier ones and <c>simple</c> (rows from before migration 0026).</summary>
    public ImmutableArray<string> SearchedLanguages() =>
        [.. new[] { SearchLanguage ?? SearchLanguages.Simple }.Concat(EarlierSearchLanguages.IsDefault ? [] : EarlierSearchLanguages).Append(SearchLanguages.Simple).Distinct(StringComparer.Ordinal)];

    /// <summary>These settings with <paramref name="language"/> as the search language, the one it replaces remembered as an earlier one.</summary>
    public TenantSettings WithSearchLanguage(string language)
    {
        var current = SearchLanguage ?? SearchLanguages.Simple;
        if (current == language) return this;
        var earlier = EarlierSearchLanguages.IsDefault ? [] : EarlierSearchLanguages;
        // simple is always searched, so it needs no entry; the new language is current, so it leaves the earlier ones.
        if (current != SearchLanguages.Simple && !earlier.Contains(current)) earlier = earlier.Add(current);
        return this with { SearchLanguage = language, EarlierSearchLanguages = earlier.Remove(language) };
    }
}
