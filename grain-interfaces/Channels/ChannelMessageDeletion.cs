namespace Flexoraa.Channels;

/// <summary>
/// The customer deleted <see cref="TargetMessageId"/> for everyone: a WhatsApp <c>revoke</c> or an Instagram
/// <c>is_deleted</c> unsend. The conversation marks the original deleted and the API hides its text and media; the row
/// keeps them for audit and retention rules. <see cref="EventId"/> is the deletion's own id (derived when Meta gives none).
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelMessageDeletion")]
public sealed record ChannelMessageDeletion(
    ChannelKind Channel,
    string AccountId,
    string ContactId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string EventId,
    [property: Id(1)] string TargetMessageId,
    [property: Id(2)] string RawJson)
    : ChannelEvent(Channel, AccountId, ContactId, OccurredAt);
