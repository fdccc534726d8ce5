using System.Collections.Immutable;

namespace Flexoraa.Conversations;

/// <summary>A conversation's workflow after a change: what the API answers with.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.ConversationWorkflow")]
public sealed record ConversationWorkflow(
    [property: Id(0)] ConversationStatus Status,
    [property: Id(1)] DateTimeOffset? SnoozeUntil,
    [property: Id(2)] string? AssigneeUserId,
    [property: Id(3)] ImmutableArray<string> Tags,
    [property: Id(4)] int UnreadCount);
