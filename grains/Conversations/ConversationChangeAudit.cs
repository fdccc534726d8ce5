using System.Collections.Immutable;
using System.Globalization;

namespace Flexoraa.Conversations;

/// <summary>
/// The audit entries of one applied change, from the workflow before and after it. A part that changed nothing (the
/// same status again, the same tags) is not an entry, so the log shows what happened rather than what was clicked. The
/// entries come in the order the parts are checked: assignment, status, tags.
/// </summary>
public static class ConversationChangeAudit
{
    public static ImmutableArray<ConversationAuditEntry> Entries(ConversationChange change, ConversationWorkflowState before, ConversationWorkflowState after)
    {
        var entries = ImmutableArray.CreateBuilder<ConversationAuditEntry>();
        if (change.SetsAssignee && before.AssigneeUserId != after.AssigneeUserId)
        {
            entries.Add(new(after.AssigneeUserId is null ? ConversationAuditActions.Unassigned : ConversationAuditActions.Assigned,
                new Dictionary<string, string?> { ["from"] = before.AssigneeUserId, ["to"] = after.AssigneeUserId }));
        }
        if (change.Status is not null)
        {
            var from = ConversationStatuses.Name(before.Status);
            if (after.Status == ConversationStatus.Snoozed)
            {
                if (before.Status != after.Status || before.SnoozeUntil != after.SnoozeUntil)
                {
                    entries.Add(new(ConversationAuditActions.Snoozed,
                        new Dictionary<string, string?> { ["from"] = from, ["to"] = "snoozed", ["snoozeUntil"] = Iso(after.SnoozeUntil) }));
                }
            }
            else if (before.Status != after.Status)
            {
                entries.Add(new(ConversationAuditActions.StatusChanged,
                    new Dictionary<string, string?> { ["from"] = from, ["to"] = ConversationStatuses.Name(after.Status) }));
            }
        }
        if (change.Tags is not null && !before.Tags.SequenceEqual(after.Tags, StringComparer.Ordinal))
        {
            entries.Add(new(ConversationAuditActions.TagsChanged, new Dictionary<string, string?>
            {
                ["from"] = string.Join(",", before.Tags),
                ["to"] = string.Join(",", after.Tags),
                ["added"] = string.Join(",", after.Tags.Except(before.Tags, StringComparer.Ordinal)),
                ["removed"] = string.Join(",", before.Tags.Except(after.Tags, StringComparer.Ordinal)),
            }));
        }
        return entries.ToImmutable();
    }

    private static string? Iso(DateTimeOffset? time) => time?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
