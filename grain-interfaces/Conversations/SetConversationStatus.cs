namespace Flexoraa.Conversations;

/// <summary>Moves a conversation to <see cref="Status"/>; <see cref="SnoozeUntil"/> is required for (and only for) snoozed.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.SetConversationStatus")]
public sealed record SetConversationStatus(
    [property: Id(0)] ConversationStatus Status,
    [property: Id(1)] DateTimeOffset? SnoozeUntil,
    [property: Id(2)] ConversationActor Actor);
