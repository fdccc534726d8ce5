using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// The inbox's read side: <c>GET /api/v1/conversations</c> (filtered, by last activity), one conversation with its
/// messages paged backwards, and full-text search over the tenant's messages.
/// </summary>
public static class InboxEndpoints
{
    public static RouteGroupBuilder MapInboxEndpoints(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Inbox");
        conversations.MapGet("/", List).RequirePermission(Permission.ReadConversations).WithName("ListConversations")
            .WithSummary("The tenant's conversations by last activity, newest first; filter by status, assignee (me, unassigned or a user id), channel, channelAccountId, tag, unread and a text query q");
        conversations.MapGet("/{conversationId}", Get).RequirePermission(Permission.ReadConversations).WithName("GetConversation")
            .WithSummary("One conversation and its messages, newest first; pass the returned nextCursor as 'before' for older ones");
        api.MapGet("/search/messages", Search).RequirePermission(Permission.ReadConversations).WithTags("Inbox").WithName("SearchMessages")
            .WithSummary("Full-text search over the tenant's messages (web-search syntax), best match first, with <mark>-highlighted HTML-escaped snippets");
        return api;
    }

    private static async Task<Results<Ok<CursorPage<ConversationSummaryView>>, ValidationProblem>> List(
        string? status, string? assignee, string? channel, string? channelAccountId, string? tag, string? unread, string? q,
        string? cursor, int? limit, CursorCodec cursors, TenantDatabase database, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        if (!ConversationFilter.TryParse(status, assignee, channel, channelAccountId, tag, unread, q, caller.UserId, out var filter, out var errors))
        {
            return ApiProblems.Validation(errors);
        }
        if (!PageRequest<ConversationCursor>.TryParse(cursor, limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        return TypedResults.Ok(await new ConversationInbox(database, clock).ListAsync(caller.TenantId, filter, page, cancellationToken));
    }

    private static async Task<Results<Ok<ConversationDetail>, ValidationProblem, ProblemHttpResult>> Get(
        string conversationId, string? before, int? limit, CursorCodec cursors, TenantDatabase database, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (!ConversationIds.IsWellFormed(conversationId)) return ApiProblems.NotFound("The conversation");
        if (!PageRequest<MessageCursor>.TryParse(before, limit, cursors, out var page, out var error))
        {
            return ApiProblems.Validation(error.Field == "cursor" ? "before" : error.Field, error.Message);
        }
        var detail = await new ConversationInbox(database, clock).GetAsync(http.Caller().TenantId, conversationId, page, cancellationToken);
        return detail is null ? ApiProblems.NotFound("The conversation") : TypedResults.Ok(detail);
    }

    private static async Task<Results<Ok<CursorPage<MessageSearchHit>>, ValidationProblem>> Search(
        string? q, string? cursor, int? limit, CursorCodec cursors, TenantDatabase database, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var text = q?.Trim();
        if (string.IsNullOrEmpty(text)) return ApiProblems.Validation("q", "'q' is required: the words to search for.");
        if (text.Length > ConversationFilter.MaxQueryLength)
        {
            return ApiProblems.Validation("q", $"'q' must be at most {ConversationFilter.MaxQueryLength} characters.");
        }
        if (!PageRequest<SearchCursor>.TryParse(cursor, limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        return TypedResults.Ok(await new ConversationInbox(database, clock).SearchAsync(http.Caller().TenantId, text, page, cancellationToken));
    }
}
