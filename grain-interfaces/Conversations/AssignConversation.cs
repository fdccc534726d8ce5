namespace Flexoraa.Conversations;

/// <summary>Assigns the conversation to a member of its tenant, or unassigns it when <see cref="AssigneeUserId"/> is null.</summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.AssignConversation")]
public sealed record AssignConversation(
    [property: Id(0)] string? AssigneeUserId,
    [property: Id(1)] ConversationActor Actor);
