namespace Flexoraa.Conversations;

/// <summary>The inbox's unit of work: one contact on one channel account. Key: <see cref="ConversationKeys.GrainKey(string, string)"/>.</summary>
[Alias("Flexoraa.Conversations.IConversationGrain")]
public interface IConversationGrain : IGrainWithStringKey
{
    [Alias("Summary")]
    Task<ConversationSummary> Summary();

    /// <summary>Sets the status; snoozing registers a reminder that reopens the conversation when the snooze ends.</summary>
    [Alias("SetStatus")]
    Task<ConversationChangeResult> SetStatus(SetConversationStatus request);

    [Alias("Assign")]
    Task<ConversationChangeResult> Assign(AssignConversation request);

    [Alias("SetTags")]
    Task<ConversationChangeResult> SetTags(SetConversationTags request);

    [Alias("MarkRead")]
    Task<ConversationChangeResult> MarkRead(ConversationActor actor);

    [Alias("Workflow")]
    Task<ConversationWorkflow?> Workflow();

    /// <summary>
    /// Auto-assignment's offer: assigns <paramref name="userId"/> through <see cref="Assign"/> (actor: the system) only if
    /// the conversation is still unassigned and open or pending. Answers the conversation's workload afterwards.
    /// </summary>
    [Alias("AutoAssign")]
    Task<Flexoraa.Assignment.ConversationWorkload> AutoAssign(string userId);
}
