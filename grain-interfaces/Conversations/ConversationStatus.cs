namespace Flexoraa.Conversations;

/// <summary>Where a conversation is in the team's work. Stored lower-case in <c>conversations.status</c>.</summary>
[GenerateSerializer, Alias("Flexoraa.Conversations.ConversationStatus")]
public enum ConversationStatus
{
    Open,
    Pending,
    Resolved,
    Snoozed,
}
