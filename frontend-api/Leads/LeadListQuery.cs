using Microsoft.AspNetCore.Mvc;

namespace Flexoraa.FrontendApi.Leads;

/// <summary>The query string of <c>GET /api/v1/leads</c>: the filters (see <see cref="LeadFilter"/>), the sort and the page.</summary>
public sealed record LeadListQuery(
    [FromQuery(Name = "stage")] string? Stage,
    [FromQuery(Name = "pipeline")] string? Pipeline,
    [FromQuery(Name = "owner")] string? Owner,
    [FromQuery(Name = "source")] string? Source,
    [FromQuery(Name = "tag")] string? Tag,
    [FromQuery(Name = "createdFrom")] string? CreatedFrom,
    [FromQuery(Name = "createdTo")] string? CreatedTo,
    [FromQuery(Name = "updatedFrom")] string? UpdatedFrom,
    [FromQuery(Name = "updatedTo")] string? UpdatedTo,
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "scoreMin")] int? ScoreMin = null,
    [FromQuery(Name = "scoreMax")] int? ScoreMax = null,
    [FromQuery(Name = "grade")] string? Grade = null);
