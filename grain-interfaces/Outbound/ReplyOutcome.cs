namespace Flexoraa.Outbound;

/// <summary>How <see cref="Conversations.IConversationGrain.Reply"/> ended. Numbers are serialized; never renumber them.</summary>
public enum ReplyOutcome
{
    /// <summary>Stored as queued; the send runs in the background.</summary>
    Accepted = 0,

    /// <summary>The idempotency key was used before with the same request: that message, nothing sent again.</summary>
    Replayed = 1,

    NotFound = 2,

    /// <summary>The SDR rule: the conversation is assigned to someone else.</summary>
    Forbidden = 3,

    /// <summary>A field is wrong for this conversation (<see cref="ReplyResult.Field"/>).</summary>
    Invalid = 4,

    /// <summary>The channel's messaging window does not allow this reply now.</summary>
    WindowClosed = 5,

    /// <summary>The idempotency key was used before with a different request.</summary>
    IdempotencyKeyReused = 6,
}
