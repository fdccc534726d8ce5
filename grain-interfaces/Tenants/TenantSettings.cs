namespace Flexoraa.Tenants;

/// <summary>
/// The tenant's settings. <see cref="AutoAssignment"/> was added later: state stored before it reads back null, which
/// <c>TenantGrain</c> replaces with <see cref="AutoAssignmentSettings.Default"/> on activation.
/// <see cref="DefaultRegion"/> (ISO 3166-1 alpha-2) is how a lead's phone number without a country code is read; null
/// means the tenant's country.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] BusinessHours BusinessHours,
    [property: Id(1)] AiReplySettings Ai,
    [property: Id(2)] AutoAssignmentSettings AutoAssignment,
    [property: Id(3)] string? DefaultRegion = null)
{
    public static TenantSettings Default { get; } = new(BusinessHours.Default, AiReplySettings.Default, AutoAssignmentSettings.Default);
}
