using Flexoraa.FrontendApi.Identity;
using Flexoraa.FrontendApi.Inbox;
using Flexoraa.FrontendApi.Platform;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary><c>GET /api/v1/search/messages</c>: full-text search over all of the tenant's conversations' messages.</summary>
public static class MessageSearchApi
{
    public static RouteGroupBuilder MapMessageSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search/messages", Search).RequirePermission(Permission.ReadConversations).WithTags("Inbox").WithName("SearchMessages")
            .WithSummary("Full-text search over the tenant's messages (web-search syntax), best match first, with <mark>-highlighted HTML-escaped snippets");
        return api;
    }

    private static async Task<Results<Ok<CursorPage<MessageSearchHit>>, ValidationProblem>> Search(
        [AsParameters] MessageSearchQuery query, ConversationInbox inbox, CursorCodec cursors, HttpContext http, CancellationToken cancellationToken)
    {
        var text = query.Q?.Trim();
        if (string.IsNullOrEmpty(text)) return ApiProblems.Validation("q", "'q' is required: the words to search for.");
        if (text.Length > ConversationFilter.MaxQueryLength)
        {
            return ApiProblems.Validation("q", $"'q' must be at most {ConversationFilter.MaxQueryLength} characters.");
        }
        if (!PageRequest<SearchCursor>.TryParse(query.Cursor, query.Limit, cursors, out var page, out var error)) return ApiProblems.Validation(error.Field, error.Message);
        return TypedResults.Ok(await inbox.SearchAsync(http.Caller().TenantId, text, page, cancellationToken));
    }
}
