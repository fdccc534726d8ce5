namespace Flexoraa.Outbound;

/// <summary>The reply an idempotency key was first used for: a retry with the same key and request gets the same answer.</summary>
public sealed class IdempotentReply
{
    public long MessageId { get; init; }
    public string RequestHash { get; init; } = "";
    public string ConversationId { get; init; } = "";
    public string State { get; init; } = "";
}
