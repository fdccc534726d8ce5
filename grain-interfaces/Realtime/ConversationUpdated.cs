using System.Collections.Immutable;

namespace Flexoraa.Realtime;

/// <summary>The conversation's list entry changed: a new last message, a new contact name, a status, unread or tag change (null fields did not change).</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.ConversationUpdated")]
public sealed record ConversationUpdated(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string? ContactName,
    [property: Id(1)] string? LastMessagePreview,
    [property: Id(2)] DateTimeOffset? LastMessageAt,
    [property: Id(3)] DateTimeOffset? ServiceWindowExpiresAt,
    [property: Id(4)] string? Status,
    [property: Id(5)] int? UnreadCount = null,
    [property: Id(6)] ImmutableArray<string>? Tags = null)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);
