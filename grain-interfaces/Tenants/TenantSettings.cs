namespace Flexoraa.Tenants;

[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] BusinessHours BusinessHours,
    [property: Id(1)] AiReplySettings Ai)
{
    public static TenantSettings Default { get; } = new(BusinessHours.Default, AiReplySettings.Default);
}
