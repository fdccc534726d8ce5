using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Flexoraa.Conversations;

namespace Flexoraa.FrontendApi.Workflow;

/// <summary>
/// The body of <c>PATCH /conversations/{id}</c>, read from raw JSON because an explicit <c>"assigneeUserId": null</c>
/// (unassign) must differ from leaving it out. Every field is checked before anything changes.
/// </summary>
public sealed record ConversationPatch(
    ConversationStatus? Status,
    DateTimeOffset? SnoozeUntil,
    bool SetsAssignee,
    string? AssigneeUserId,
    ImmutableArray<string>? Tags)
{
    public static bool TryParse(JsonElement body, DateTimeOffset now, out ConversationPatch patch, out Dictionary<string, string[]> errors)
    {
        errors = [];
        patch = new ConversationPatch(null, null, false, null, null);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["The body must be a JSON object with status, snoozeUntil, assigneeUserId or tags."];
            return false;
        }

        ConversationStatus? status = null;
        if (body.TryGetProperty("status", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind == JsonValueKind.String && ConversationStatuses.TryParse(s.GetString(), out var parsed)) status = parsed;
            else errors["status"] = ["'status' must be one of open, pending, resolved, snoozed."];
        }

        DateTimeOffset? snoozeUntil = null;
        if (body.TryGetProperty("snoozeUntil", out var u) && u.ValueKind != JsonValueKind.Null)
        {
            if (u.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(u.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until))
            {
                snoozeUntil = until.ToUniversalTime();
            }
            else errors["snoozeUntil"] = ["'snoozeUntil' must be an ISO 8601 date and time."];
        }
        if (!errors.ContainsKey("status") && !errors.ContainsKey("snoozeUntil"))
        {
            if (status == ConversationStatus.Snoozed && snoozeUntil is null) errors["snoozeUntil"] = ["'snoozeUntil' is required to snooze a conversation."];
            else if (status == ConversationStatus.Snoozed && snoozeUntil <= now) errors["snoozeUntil"] = ["'snoozeUntil' must be in the future."];
            else if (status != ConversationStatus.Snoozed && snoozeUntil is not null) errors["snoozeUntil"] = ["'snoozeUntil' is only allowed with status 'snoozed'."];
        }

        var setsAssignee = body.TryGetProperty("assigneeUserId", out var a);
        string? assignee = null;
        if (setsAssignee && a.ValueKind == JsonValueKind.String && a.GetString() is { Length: > 0 and <= 40 } id) assignee = id;
        else if (setsAssignee && a.ValueKind != JsonValueKind.Null) errors["assigneeUserId"] = ["'assigneeUserId' must be a user id, or null to unassign."];

        ImmutableArray<string>? tags = null;
        if (body.TryGetProperty("tags", out var t))
        {
            if (t.ValueKind != JsonValueKind.Array || t.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                errors["tags"] = ["'tags' must be an array of strings."];
            }
            else if (!ConversationTags.TryNormalize(t.EnumerateArray().Select(e => e.GetString()), out var normalized, out var error))
            {
                errors["tags"] = [error!];
            }
            else tags = normalized;
        }

        if (errors.Count == 0 && status is null && !setsAssignee && tags is null)
        {
            errors["body"] = ["Nothing to change: give status, assigneeUserId or tags."];
        }
        patch = new ConversationPatch(status, snoozeUntil, setsAssignee, assignee, tags);
        return errors.Count == 0;
    }
}
