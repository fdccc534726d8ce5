namespace Flexoraa.Realtime;

/// <summary>
/// Something a user of a tenant should see change. Published to <c>tenant-updates</c> (key = tenant) through the
/// tenant's <see cref="ITenantUpdatesGrain"/>, which gives it its per-tenant sequence number.
/// <see cref="ConversationId"/> is null for tenant-wide events such as presence.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.TenantUpdate")]
public abstract record TenantUpdate(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string? ConversationId,
    [property: Id(2)] DateTimeOffset OccurredAt);
