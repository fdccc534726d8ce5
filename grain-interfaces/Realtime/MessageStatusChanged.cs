using Flexoraa.Channels;

namespace Flexoraa.Realtime;

/// <summary>An outbound message's delivery status moved forward (sent → delivered → read, or failed with Meta's code and title).</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Realtime.MessageStatusChanged")]
public sealed record MessageStatusChanged(
    string TenantId,
    string ConversationId,
    DateTimeOffset OccurredAt,
    [property: Id(0)] string MessageId,
    [property: Id(1)] DeliveryStatus Status,
    [property: Id(2)] int? ErrorCode,
    [property: Id(3)] string? ErrorTitle)
    : TenantUpdate(TenantId, ConversationId, OccurredAt);
