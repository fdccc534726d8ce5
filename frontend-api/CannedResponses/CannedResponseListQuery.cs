using Microsoft.AspNetCore.Mvc;

namespace Flexoraa.FrontendApi.CannedResponses;

/// <summary>The query string of <c>GET /api/v1/canned-responses</c>: the search and the page.</summary>
public sealed record CannedResponseListQuery(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] int? Limit);
