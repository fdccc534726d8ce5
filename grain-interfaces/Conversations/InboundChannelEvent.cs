using Flexoraa.Channels;

namespace Flexoraa.Conversations;

/// <summary>One normalised channel event on its way to its conversation, published by the webhook after routing.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.InboundChannelEvent")]
public sealed record InboundChannelEvent(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ChannelAccountId,
    [property: Id(2)] ChannelEvent Event,
    [property: Id(3)] DateTimeOffset ReceivedAt);
