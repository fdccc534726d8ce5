using System.Globalization;
using Flexoraa.Conversations;
using Flexoraa.FrontendApi.Audit;
using Flexoraa.FrontendApi.Identity;

namespace Flexoraa.FrontendApi.Workflow;

/// <summary>
/// Turns each applied workflow change into its audit entry, with before and after. A change that changed nothing (the
/// same status again, the same tags) is not an entry, so the log shows what happened rather than what was clicked.
/// </summary>
public sealed class ConversationWorkflowAudit(Caller caller, string conversationId, string? ip, ConversationWorkflow? before)
{
    public const string TargetType = "conversation";

    private readonly List<AuditEntry> _entries = [];
    private ConversationWorkflow? _current = before;

    public IReadOnlyList<AuditEntry> Entries => _entries;

    public void Assigned(ConversationWorkflow after)
    {
        var previous = _current?.AssigneeUserId;
        if (_current is null || previous != after.AssigneeUserId)
        {
            Add(after.AssigneeUserId is null ? AuditActions.ConversationUnassigned : AuditActions.ConversationAssigned,
                new() { ["from"] = previous, ["to"] = after.AssigneeUserId });
        }
        _current = after;
    }

    public void StatusSet(ConversationWorkflow after)
    {
        var from = _current is null ? null : ConversationStatuses.Name(_current.Status);
        if (after.Status == ConversationStatus.Snoozed)
        {
            if (_current is null || _current.Status != after.Status || _current.SnoozeUntil != after.SnoozeUntil)
            {
                Add(AuditActions.ConversationSnoozed, new() { ["from"] = from, ["to"] = "snoozed", ["snoozeUntil"] = Iso(after.SnoozeUntil) });
            }
        }
        else if (_current is null || _current.Status != after.Status)
        {
            Add(AuditActions.ConversationStatusChanged, new() { ["from"] = from, ["to"] = ConversationStatuses.Name(after.Status) });
        }
        _current = after;
    }

    public void TagsSet(ConversationWorkflow after)
    {
        var previous = _current?.Tags ?? [];
        if (_current is null || !previous.SequenceEqual(after.Tags, StringComparer.Ordinal))
        {
            Add(AuditActions.ConversationTagsChanged, new()
            {
                ["from"] = string.Join(",", previous),
                ["to"] = string.Join(",", after.Tags),
                ["added"] = string.Join(",", after.Tags.Except(previous, StringComparer.Ordinal)),
                ["removed"] = string.Join(",", previous.Except(after.Tags, StringComparer.Ordinal)),
            });
        }
        _current = after;
    }

    private void Add(string action, Dictionary<string, string?> details) =>
        _entries.Add(new AuditEntry(action, caller.UserId, caller.ApiKeyId, TargetType, conversationId, ip, details));

    private static string? Iso(DateTimeOffset? time) => time?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
