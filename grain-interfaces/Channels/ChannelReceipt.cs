using System.Collections.Immutable;

namespace Flexoraa.Channels;

/// <summary>
/// A Messenger/Instagram delivery or read receipt from the customer. Unlike WhatsApp statuses these are cumulative:
/// every business message up to <see cref="Watermark"/> is delivered/read. <see cref="MessageIds"/> names messages
/// when the channel does (delivery <c>mids</c>, an Instagram read's <c>mid</c>); Instagram reads may carry only the
/// message id and no watermark, which is why the watermark is optional.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelReceipt")]
public sealed record ChannelReceipt(
    ChannelKind Channel,
    string AccountId,
    string ContactId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] ReceiptKind Kind,
    [property: Id(1)] DateTimeOffset? Watermark,
    [property: Id(2)] ImmutableArray<string> MessageIds)
    : ChannelEvent(Channel, AccountId, ContactId, OccurredAt);
