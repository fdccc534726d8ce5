namespace Flexoraa.Tenants;

/// <summary>Who the tenant is. Country is ISO 3166-1 alpha-2, currency ISO 4217, time zone IANA.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.TenantProfile")]
public sealed record TenantProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Website,
    [property: Id(2)] string? Industry,
    [property: Id(3)] string Country,
    [property: Id(4)] string Currency,
    [property: Id(5)] string TimeZone,
    [property: Id(6)] string Locale);
