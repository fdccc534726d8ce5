namespace Flexoraa.Channels;

/// <summary>
/// The customer edited <see cref="TargetMessageId"/> (the channel's id of the original): a WhatsApp <c>edit</c>
/// (Coexistence numbers) or a Messenger <c>message_edit</c>. <see cref="EventId"/> is the edit's own id (WhatsApp's
/// wamid of the event; for Messenger, derived from the original's mid and <c>num_edit</c>), so a redelivered edit is
/// applied once. The conversation keeps the replaced text as a previous version.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelMessageEdit")]
public sealed record ChannelMessageEdit(
    ChannelKind Channel,
    string AccountId,
    string ContactId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string EventId,
    [property: Id(1)] string TargetMessageId,
    [property: Id(2)] string? Text,
    [property: Id(3)] string RawJson)
    : ChannelEvent(Channel, AccountId, ContactId, OccurredAt);
