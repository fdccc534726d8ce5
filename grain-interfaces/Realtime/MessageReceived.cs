using Flexoraa.Channels;

namespace Flexoraa.Realtime;

/// <summary>
/// A new message in a conversation, in either direction. <see cref="MessageId"/> is the channel's id (wamid / mid).
/// <see cref="Content"/> has the same shape as the REST API's message <c>content</c>, so a client renders both alike.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.MessageReceived")]
public sealed record MessageReceived(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string MessageId,
    [property: Id(1)] ChannelKind Channel,
    [property: Id(2)] MessageDirection Direction,
    [property: Id(3)] MessageKind Kind,
    [property: Id(4)] string ContactId,
    [property: Id(5)] string? ContactName,
    [property: Id(6)] string? Text,
    [property: Id(7)] MessageContent? Content = null)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);
