using System.Collections.Immutable;

namespace Flexoraa.Channels;

/// <summary>
/// One message in a conversation, in either direction. <see cref="ExternalMessageId"/> is the channel's id
/// (wamid / mid) and the conversation's dedup key, because Meta delivers webhooks at least once.
/// <para>
/// <see cref="Text"/> is what a person reads as the message: a text body, a media caption, the title of a tapped
/// button or postback, an order note, a system notice. Kind-specific parts are set only for their kinds. <see cref="RawJson"/> is
/// the channel's original JSON for this one message (not the whole webhook), so nothing is lost when a kind is
/// <see cref="MessageKind.Unsupported"/> or a field is not modelled yet.
/// </para>
/// <para>
/// <see cref="Content"/> is what the inbox shows and stores of the kind-specific parts, typed (a pin, contact cards, a
/// cart, a Flow's answers, the ad that referred the customer, what an unsupported message was); null for plain text
/// and media. The older parts beside it stay for the code that reads them.
/// </para>
/// <para>
/// WhatsApp: <see cref="ChannelEvent.ContactId"/> is the wa_id when Meta gives one, else the business-scoped user id
/// (BSUID), so a customer who hides their number still has a conversation. <see cref="ContactUserId"/> is the BSUID
/// whenever Meta sent one, <see cref="ContactUsername"/> their WhatsApp username; a message that carries both ids is what
/// teaches the inbox which wa_id a BSUID belongs to. <see cref="IdentityChange"/> is set for a <c>system</c> message
/// saying the customer changed number or user id.
/// </para>
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Channels.ChannelMessage")]
public sealed record ChannelMessage(
    ChannelKind Channel,
    string AccountId,
    string ContactId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string ExternalMessageId,
    [property: Id(1)] MessageDirection Direction,
    [property: Id(2)] MessageKind Kind,
    [property: Id(3)] string? ContactName,
    [property: Id(4)] string? Text,
    [property: Id(5)] ImmutableArray<MediaReference> Attachments,
    [property: Id(6)] ChannelLocation? Location,
    [property: Id(7)] ChannelReaction? Reaction,
    [property: Id(8)] ReplyContext? Reply,
    [property: Id(9)] InteractiveReply? Interactive,
    [property: Id(10)] string? ContactsJson,
    [property: Id(11)] ChannelOrder? Order,
    [property: Id(12)] ChannelReferral? Referral,
    [property: Id(13)] ImmutableArray<ChannelError> Errors,
    [property: Id(14)] string RawJson,
    [property: Id(15)] MessageContent? Content = null,
    [property: Id(16)] string? ContactUserId = null,
    [property: Id(17)] string? ContactUsername = null,
    [property: Id(18)] ContactIdentityChange? IdentityChange = null)
    : ChannelEvent(Channel, AccountId, ContactId, OccurredAt);
