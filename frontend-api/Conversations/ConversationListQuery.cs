using Microsoft.AspNetCore.Mvc;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>The query string of <c>GET /api/v1/conversations</c>: the filters (see <see cref="Inbox.ConversationFilter"/>) and the page.</summary>
public sealed record ConversationListQuery(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "assignee")] string? Assignee,
    [FromQuery(Name = "channel")] string? Channel,
    [FromQuery(Name = "channelAccountId")] string? ChannelAccountId,
    [FromQuery(Name = "tag")] string? Tag,
    [FromQuery(Name = "unread")] string? Unread,
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] int? Limit);
