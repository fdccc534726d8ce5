using System.Collections.Immutable;

namespace Flexoraa.Channels;

/// <summary>
/// A WhatsApp status for a message the business sent (<see cref="ExternalMessageId"/>). <see cref="ChannelEvent.ContactId"/>
/// is the recipient. Dedup on (<see cref="ExternalMessageId"/>, <see cref="Status"/>): Meta may repeat and reorder them.
/// <see cref="RawStatus"/> keeps Meta's word so an <see cref="DeliveryStatus.Unknown"/> status can still be shown and logged.
/// WhatsApp names the recipient by wa_id (<c>recipient_id</c>), by BSUID (<c>recipient_user_id</c>, <see cref="ContactUserId"/>)
/// or both; the contact id is the wa_id when there is one. The conversation fields describe Meta's billing conversation (category = origin.type), not our inbox conversation.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelStatusUpdate")]
public sealed record ChannelStatusUpdate(
    ChannelKind Channel,
    string AccountId,
    string ContactId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string ExternalMessageId,
    [property: Id(1)] DeliveryStatus Status,
    [property: Id(2)] string RawStatus,
    [property: Id(3)] ImmutableArray<ChannelError> Errors,
    [property: Id(4)] string? ConversationId,
    [property: Id(5)] string? ConversationCategory,
    [property: Id(6)] DateTimeOffset? ConversationExpiresAt,
    [property: Id(7)] ChannelPricing? Pricing,
    [property: Id(8)] string RawJson,
    [property: Id(9)] string? ContactUserId = null)
    : ChannelEvent(Channel, AccountId, ContactId, OccurredAt);
