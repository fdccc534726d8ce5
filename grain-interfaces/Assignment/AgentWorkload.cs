using Flexoraa.Tenants;

namespace Flexoraa.Assignment;

/// <summary>
/// One member as auto-assignment sees them. <see cref="Capacity"/> is what applies (their own, or the tenant's default);
/// <see cref="Eligible"/> is whether their role works conversations (SDR, Admin, Owner).
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Assignment.AgentWorkload")]
public sealed record AgentWorkload(
    [property: Id(0)] string UserId,
    [property: Id(1)] TenantRole Role,
    [property: Id(2)] bool Eligible,
    [property: Id(3)] bool Available,
    [property: Id(4)] int Assigned,
    [property: Id(5)] int Capacity,
    [property: Id(6)] int? CapacityOverride);
