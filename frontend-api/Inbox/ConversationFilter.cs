namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// The filters of <c>GET /api/v1/conversations</c>, all optional and combined with AND. A value outside a known set is
/// a 400 naming the field rather than an empty list, so a typo is never mistaken for an empty inbox.
/// </summary>
public sealed record ConversationFilter(
    string? Status,
    bool Unassigned,
    string? AssigneeUserId,
    string? Channel,
    string? ChannelAccountId,
    string? Tag,
    bool? Unread,
    string? Query)
{
    public static readonly IReadOnlyList<string> Statuses = ["open", "pending", "resolved", "snoozed"];
    public static readonly IReadOnlyList<string> Channels = ["whatsapp", "messenger", "instagram"];
    public const int MaxQueryLength = 200;

    /// <param name="callerUserId">Who "me" is; null for an API key, which has no inbox of its own.</param>
    public static bool TryParse(
        string? status, string? assignee, string? channel, string? channelAccountId, string? tag, string? unread, string? q,
        string? callerUserId, out ConversationFilter filter, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var statusValue = OneOf(status, "status", Statuses, errors);
        var channelValue = OneOf(channel, "channel", Channels, errors);

        var unassigned = false;
        string? assigneeUserId = null;
        switch (assignee?.Trim())
        {
            case null:
                break;
            case "unassigned":
                unassigned = true;
                break;
            case "me" when callerUserId is null:
                errors["assignee"] = ["'me' means the signed-in user; an API key has none. Pass a user id instead."];
                break;
            case "me":
                assigneeUserId = callerUserId;
                break;
            case var id when id.Length is >= 1 and <= 40:
                assigneeUserId = id;
                break;
            default:
                errors["assignee"] = ["'assignee' must be 'me', 'unassigned' or a user id of at most 40 characters."];
                break;
        }

        var account = Text(channelAccountId, "channelAccountId", 40, errors);
        var tagValue = Text(tag, "tag", 64, errors);
        var query = Text(q, "q", MaxQueryLength, errors);

        bool? unreadValue = null;
        if (unread is not null)
        {
            if (bool.TryParse(unread.Trim(), out var parsed)) unreadValue = parsed;
            else errors["unread"] = ["'unread' must be true or false."];
        }

        filter = new ConversationFilter(statusValue, unassigned, assigneeUserId, channelValue, account, tagValue, unreadValue, query);
        return errors.Count == 0;
    }

    private static string? OneOf(string? value, string field, IReadOnlyList<string> allowed, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        var normalized = value.Trim().ToLowerInvariant();
        if (allowed.Contains(normalized)) return normalized;
        errors[field] = [$"'{field}' must be one of: {string.Join(", ", allowed)}."];
        return null;
    }

    private static string? Text(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        if (trimmed.Length is >= 1 && trimmed.Length <= max) return trimmed;
        errors[field] = [$"'{field}' must be 1 to {max} characters."];
        return null;
    }
}
