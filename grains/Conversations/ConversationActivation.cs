namespace Flexoraa.Conversations;

/// <summary>What a conversation reads when it activates (see <see cref="ConversationStore.ActivationAsync"/>).</summary>
public sealed record ConversationActivation(
    ConversationWorkflowState? Workflow,
    DateTimeOffset? LastInboundAt,
    IReadOnlyList<string> RecentExternalIds,
    IReadOnlyList<string> PendingMedia,
    IReadOnlyList<long> UnfinishedReplies,
    IReadOnlyList<string> PendingChangeTargets);
