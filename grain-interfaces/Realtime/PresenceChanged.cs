namespace Flexoraa.Realtime;

/// <summary>An agent came online, went away or went offline. Tenant-wide, so it has no conversation.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.PresenceChanged")]
public sealed record PresenceChanged(
    string TenantId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string UserId,
    [property: Id(1)] AgentPresence Presence)
    : TenantUpdate(TenantId, null, OccurredAt);
