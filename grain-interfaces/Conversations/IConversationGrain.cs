namespace Flexoraa.Conversations;

/// <summary>The inbox's unit of work: one contact on one channel account. Key: <see cref="ConversationKeys.GrainKey(string, string)"/>.</summary>
[Alias("Flexoraa.Conversations.IConversationGrain")]
public interface IConversationGrain : IGrainWithStringKey
{
    [Alias("Summary")]
    Task<ConversationSummary> Summary();
}
