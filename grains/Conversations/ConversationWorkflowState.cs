using System.Collections.Immutable;

namespace Flexoraa.Conversations;

/// <summary>
/// A conversation's workflow as its <c>conversations</c> row records it: that row, not the grain's Orleans state, is the
/// workflow's state of record (see <see cref="ConversationStore"/>). The grain holds the last committed copy in memory.
/// </summary>
public sealed record ConversationWorkflowState(
    ConversationStatus Status, DateTimeOffset? SnoozeUntil, string? AssigneeUserId, ImmutableArray<string> Tags)
{
    public ConversationWorkflow ToWorkflow(int unreadCount) => new(Status, SnoozeUntil, AssigneeUserId, Tags, unreadCount);

    /// <summary>Open and pending conversations are the ones an agent is working; resolved and snoozed ones free their slot.</summary>
    public bool CountsAgainstCapacity => CountsAgainst(Status);

    public static bool CountsAgainst(ConversationStatus status) => status is ConversationStatus.Open or ConversationStatus.Pending;
}
