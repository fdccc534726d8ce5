using Flexoraa.Channels;

namespace Flexoraa.Realtime;

/// <summary>
/// An outbound message's delivery status moved forward (queued → sent → delivered → read, or failed with Meta's code and
/// title). When a reply is sent, Meta names it: <see cref="MessageId"/> is then its wamid / mid, and
/// <see cref="PreviousMessageId"/> the temporary id the client saw in its <see cref="MessageReceived"/>. A reply Meta
/// refused for now is <see cref="DeliveryStatus.Retrying"/> with <see cref="LastError"/>, <see cref="Attempts"/> and <see cref="NextAttemptAt"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.MessageStatusChanged")]
public sealed record MessageStatusChanged(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string MessageId,
    [property: Id(1)] DeliveryStatus Status,
    [property: Id(2)] int? ErrorCode,
    [property: Id(3)] string? ErrorTitle,
    [property: Id(4)] string? PreviousMessageId = null,
    [property: Id(5)] string? LastError = null,
    [property: Id(6)] int? Attempts = null,
    [property: Id(7)] DateTimeOffset? NextAttemptAt = null)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);
