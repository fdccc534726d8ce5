namespace Flexoraa.Tenants;

/// <summary>A partial update: every null member leaves that part of the tenant as it is.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.TenantChanges")]
public sealed record TenantChanges(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Website = null,
    [property: Id(2)] string? Industry = null,
    [property: Id(3)] string? Country = null,
    [property: Id(4)] string? Currency = null,
    [property: Id(5)] string? TimeZone = null,
    [property: Id(6)] string? Locale = null,
    [property: Id(7)] BusinessHours? BusinessHours = null,
    [property: Id(8)] AiReplySettings? Ai = null,
    [property: Id(9)] AutoAssignmentSettings? AutoAssignment = null,
    [property: Id(10)] string? DefaultRegion = null,
    [property: Id(11)] string? SearchLanguage = null)
{
    public TenantProfile ApplyTo(TenantProfile profile) => profile with
    {
        Name = Name?.Trim() ?? profile.Name,
        Website = Website ?? profile.Website,
        Industry = Industry ?? profile.Industry,
        Country = Country?.ToUpperInvariant() ?? profile.Country,
        Currency = Currency?.ToUpperInvariant() ?? profile.Currency,
        TimeZone = TimeZone ?? profile.TimeZone,
        Locale = Locale ?? profile.Locale,
    };

    public TenantSettings ApplyTo(TenantSettings settings) => (SearchLanguages.TryNormalize(SearchLanguage, out var language) ? settings.WithSearchLanguage(language) : settings) with
    {
        // A JSON body that leaves out an array gives a default ImmutableArray; store an empty one instead.
        BusinessHours = BusinessHours is { } hours ? hours with { Windows = hours.Windows.IsDefault ? [] : hours.Windows } : settings.BusinessHours,
        Ai = Ai is { } ai ? ai with { HandoffKeywords = ai.HandoffKeywords.IsDefault ? [] : ai.HandoffKeywords } : settings.Ai,
        AutoAssignment = AutoAssignment ?? settings.AutoAssignment,
        DefaultRegion = DefaultRegion?.ToUpperInvariant() ?? settings.DefaultRegion,
    };
}
