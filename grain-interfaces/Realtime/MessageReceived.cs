using Flexoraa.Channels;

namespace Flexoraa.Realtime;

/// <summary>
/// A new message in a conversation, in either direction. <see cref="MessageId"/> is the channel's id (wamid / mid), or
/// a reply's temporary id; <see cref="StoredId"/> is the stored row's id, the REST API's message <c>id</c>.
/// <see cref="AttachmentsJson"/> is the attachments exactly as stored (and as REST returns them). The hub sends this as
/// the REST API's message shape plus the conversation and contact, so a client renders it without a REST call.
/// <see cref="Sandbox"/> is set on replies only, as in REST.
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
    [property: Id(7)] MessageContent? Content = null,
    [property: Id(8)] long StoredId = 0,
    [property: Id(9)] string? AttachmentsJson = null,
    [property: Id(10)] string? ReplyToExternalId = null,
    [property: Id(11)] bool? Sandbox = null)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);
