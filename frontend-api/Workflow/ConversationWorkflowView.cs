using Flexoraa.Conversations;

namespace Flexoraa.FrontendApi.Workflow;

/// <summary>A conversation's workflow as the API shows it after a change.</summary>
public sealed record ConversationWorkflowView(
    string Id, string Status, DateTimeOffset? SnoozeUntil, string? AssigneeUserId, IReadOnlyList<string> Tags, int UnreadCount)
{
    public static ConversationWorkflowView Of(string id, ConversationWorkflow workflow) =>
        new(id, ConversationStatuses.Name(workflow.Status), workflow.SnoozeUntil, workflow.AssigneeUserId, [.. workflow.Tags], workflow.UnreadCount);
}
