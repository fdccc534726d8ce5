using System.Text.Json.Nodes;
using Flexoraa.Channels;

namespace Flexoraa.Outbound;

/// <summary>
/// One row of <c>outbound_messages</c>. <see cref="Payload"/> holds what to send, channel-neutral:
/// <c>text</c>, <c>replyTo</c>, <c>template</c> (WhatsApp's template object) and <c>media</c> (an <see cref="OutboundMedia"/>).
/// </summary>
public sealed record OutboundMessageRecord(
    string TenantId,
    long MessageId,
    string ConversationId,
    ChannelKind Channel,
    string ChannelAccountId,
    string ContactId,
    string PlaceholderId,
    OutboundKind Kind,
    JsonObject Payload,
    string? MessagingTag,
    bool Sandbox,
    string State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? ExternalId,
    int? ErrorCode,
    string? ErrorTitle,
    string? ErrorMessage,
    bool Applied,
    DateTimeOffset CreatedAt)
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string SentState = "sent";
    public const string FailedState = "failed";

    public bool IsFinal => State is SentState or FailedState;
}
