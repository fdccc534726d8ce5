namespace Flexoraa.Conversations;

/// <summary>How a workflow change ended; the API maps these to 200, 404, 403 and 400.</summary>
[GenerateSerializer, Alias("Flexoraa.Conversations.ConversationChangeOutcome")]
public enum ConversationChangeOutcome
{
    Changed,
    NotFound,
    Forbidden,
    Invalid,
}
