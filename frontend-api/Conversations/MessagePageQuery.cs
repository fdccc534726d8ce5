using Microsoft.AspNetCore.Mvc;

namespace Flexoraa.FrontendApi.Conversations;

/// <summary>The query string of <c>GET /api/v1/conversations/{conversationId}</c>: the page of messages, read backwards from <c>before</c>.</summary>
public sealed record MessagePageQuery(
    [FromQuery(Name = "before")] string? Before,
    [FromQuery(Name = "limit")] int? Limit);
