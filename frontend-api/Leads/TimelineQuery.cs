using Microsoft.AspNetCore.Mvc;

namespace Flexoraa.FrontendApi.Leads;

public sealed record TimelineQuery(
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] int? Limit);
