using Flexoraa.Conversations;

namespace Flexoraa.Outbound;

/// <summary>
/// A validated reply for <see cref="IConversationGrain.Reply"/>. <see cref="IsHuman"/> is true for a signed-in user and
/// false for an API key: Meta's HUMAN_AGENT tag is for people only. <see cref="RequestHash"/> fingerprints the request
/// (conversation and content) so an <see cref="IdempotencyKey"/> reused with another body is told apart from a retry.
/// <see cref="TemplateJson"/> is the WhatsApp <c>template</c> object as it will be sent.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Outbound.OutboundReply")]
public sealed record OutboundReply(
    [property: Id(0)] ConversationActor Actor,
    [property: Id(1)] bool IsHuman,
    [property: Id(2)] string? ApiKeyId,
    [property: Id(3)] string? IdempotencyKey,
    [property: Id(4)] string RequestHash,
    [property: Id(5)] OutboundKind Kind,
    [property: Id(6)] string? Text,
    [property: Id(7)] string? ReplyToExternalId,
    [property: Id(8)] string? TemplateName,
    [property: Id(9)] string? TemplateJson,
    [property: Id(10)] OutboundMedia? Media);
