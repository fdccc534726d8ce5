using Flexoraa.Channels;

namespace Flexoraa.Conversations;

/// <summary>The live state of a conversation as its grain holds it.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.ConversationSummary")]
public sealed record ConversationSummary(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ConversationId,
    [property: Id(2)] ChannelKind? Channel,
    [property: Id(3)] string? ContactId,
    [property: Id(4)] string? ContactName,
    [property: Id(5)] string? LeadId,
    [property: Id(6)] int MessagesInWindow,
    [property: Id(7)] DateTimeOffset? LastInboundAt,
    [property: Id(8)] DateTimeOffset? WindowExpiresAt);
