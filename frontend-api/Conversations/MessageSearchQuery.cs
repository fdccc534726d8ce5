using Microsoft.AspNetCore.Mvc;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>The query string of <c>GET /api/v1/search/messages</c>: the words to search for and the page.</summary>
public sealed record MessageSearchQuery(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] int? Limit);
