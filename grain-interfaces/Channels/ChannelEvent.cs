namespace Flexoraa.Channels;

/// <summary>
/// Something a channel told us about one conversation: a message, a delivery status or a receipt.
/// <see cref="AccountId"/> is the business side (WhatsApp phone_number_id, Facebook page id, Instagram account id) and
/// routes to the tenant; <see cref="ContactId"/> is the customer side (wa_id, PSID, IGSID) and keys the conversation.
/// Together with <see cref="Channel"/> they are the conversation's identity, whichever way the event travelled.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelEvent")]
public abstract record ChannelEvent(
    [property: Id(0)] ChannelKind Channel,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string ContactId,
    [property: Id(3)] DateTimeOffset OccurredAt);
