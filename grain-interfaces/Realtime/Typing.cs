namespace Flexoraa.Realtime;

/// <summary>
/// An agent is (or stopped) typing a reply. Ephemeral: it takes no sequence number of its own and is never replayed by a
/// resync, because a stale "is typing" is worse than none; it carries the tenant's latest sequence so gaps still show.
/// <see cref="ExpiresAt"/> is when a client should treat it as stopped if no newer one came: a typist's tab that
/// crashes never sends the stop.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.Typing")]
public sealed record Typing(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string UserId,
    [property: Id(1)] string? DisplayName,
    [property: Id(2)] bool IsTyping,
    [property: Id(3)] DateTimeOffset? ExpiresAt = null)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);
