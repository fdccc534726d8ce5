namespace Flexoraa.FrontendApi.Presence;

/// <summary>A member's capacity: their own (<see cref="CapacityOverride"/>, null = the tenant's default) and the one that applies.</summary>
public sealed record MemberCapacityView(string UserId, int? CapacityOverride, int Capacity);
