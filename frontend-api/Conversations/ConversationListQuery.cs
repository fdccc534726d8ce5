using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>The query string of <c>GET /api/v1/conversations</c>: the filters (see <see cref="Inbox.ConversationFilter"/>) and the page.</summary>
public sealed record ConversationListQuery(
    [FromQuery(Name = "status"), Description("Only conversations in this status: open, pending, resolved or snoozed.")] string? Status,
    [FromQuery(Name = "assignee"), Description("'me' (the signed-in user), 'unassigned', or a user id.")] string? Assignee,
    [FromQuery(Name = "channel")] string? Channel,
    [FromQuery(Name = "channelAccountId"), Description("Only conversations of this connected channel account.")] string? ChannelAccountId,
    [FromQuery(Name = "tag"), Description("Only conversations carrying this tag.")] string? Tag,
    [FromQuery(Name = "unread"), Description("true for conversations with unread messages only, false for read ones only.")] string? Unread,
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] int? Limit);
