using System.Collections.Immutable;
using Flexoraa.Contacts;

namespace Flexoraa.Realtime;

/// <summary>
/// The conversation's list entry changed: a new last message, the contact's name or profile, a status, unread or tag
/// change (null fields did not change). The hub sends it in the REST conversation's words: <see cref="Contact"/> as its
/// <c>contact</c> object and <see cref="ServiceWindowExpiresAt"/> as its <c>window</c>. Id 0 was the contact's name
/// alone, before <see cref="Contact"/> carried it; it is not reused.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.ConversationUpdated")]
public sealed record ConversationUpdated(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    [property: Id(7)] ContactSnapshot? Contact,
    [property: Id(1)] string? LastMessagePreview,
    [property: Id(2)] DateTimeOffset? LastMessageAt,
    [property: Id(3)] DateTimeOffset? ServiceWindowExpiresAt,
    [property: Id(4)] string? Status,
    [property: Id(5)] int? UnreadCount = null,
    [property: Id(6)] ImmutableArray<string>? Tags = null)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);
