namespace Flexoraa.Tenants;

/// <summary>A user's membership of a tenant.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Tenants.TenantMember")]
public sealed record TenantMember(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Email,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] TenantRole Role,
    [property: Id(4)] DateTimeOffset JoinedAt);
